/* The edgelite C API: load a .tflite model, run it, read its outputs.
 *
 * Modelled on TensorFlow Lite's C API (TfLiteModel / TfLiteInterpreter) and
 * implemented on the public C++ API (src/c/c_api.cc). Valid C89/C99 and C++.
 *
 *   edgelite_model* model = NULL;
 *   if (edgelite_model_create_from_file("m.tflite", &model) != EDGELITE_OK)
 *     fprintf(stderr, "%s\n", edgelite_last_error_message());
 *   edgelite_interpreter* interp = NULL;
 *   edgelite_interpreter_create(model, NULL, &interp);
 *   edgelite_interpreter_allocate_tensors(interp);
 *   edgelite_tensor_copy_from_buffer(edgelite_interpreter_input_tensor(interp, 0), in, in_bytes);
 *   edgelite_interpreter_invoke(interp);
 *   edgelite_tensor_copy_to_buffer(edgelite_interpreter_output_tensor(interp, 0), out, out_bytes);
 *   edgelite_interpreter_delete(interp);
 *   edgelite_model_delete(model);
 *
 * Contracts:
 * - Every function accepts NULL for any pointer argument and then returns an
 *   error code (or NULL / -1 / 0 as documented) instead of crashing. Wrong
 *   sizes, wrong types, out-of-range indices and wrong call order (invoke
 *   before allocate, use after a failed allocate or after a resize without
 *   re-allocating) return errors too.
 * - Error messages: every failing call stores a message for the calling
 *   thread (edgelite_last_error_message); calls on an interpreter or its
 *   tensors also store it on the interpreter
 *   (edgelite_interpreter_error_message). Messages stay valid until the next
 *   failing call on the same thread / interpreter.
 * - Ownership: *_create returns an object the caller frees with the matching
 *   *_delete (NULL is accepted). A model must outlive every interpreter
 *   created from it. Tensors belong to their interpreter (never freed by the
 *   caller); their data is valid from a successful allocate until the next
 *   resize / allocate.
 * - Threads: a model may be shared by interpreters on several threads; one
 *   interpreter is used by one thread at a time.
 */
#ifndef EDGELITE_C_C_API_H_
#define EDGELITE_C_C_API_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Same numbering as edgelite::StatusCode. */
typedef enum edgelite_status {
  EDGELITE_OK = 0,
  EDGELITE_INVALID_ARGUMENT = 1,
  EDGELITE_INVALID_MODEL = 2,
  EDGELITE_UNSUPPORTED = 3,
  EDGELITE_FAILED_PRECONDITION = 4,
  EDGELITE_RESOURCE_EXHAUSTED = 5,
  EDGELITE_NOT_FOUND = 6,
  EDGELITE_IO_ERROR = 7,
  EDGELITE_INTERNAL = 8,
  EDGELITE_RUNTIME_ERROR = 9,
  /* Not statuses: they make the enum span all of int, so that any int a
   * caller casts to edgelite_status is a valid value of the type (in C++ an
   * out-of-range enum value is undefined behaviour). */
  EDGELITE_STATUS_FORCE_INT_MIN_ = -2147483647 - 1,
  EDGELITE_STATUS_FORCE_INT_MAX_ = 2147483647
} edgelite_status;

/* Same numbering as the .tflite schema's TensorType (edgelite::DataType). */
typedef enum edgelite_type {
  EDGELITE_FLOAT32 = 0,
  EDGELITE_FLOAT16 = 1,
  EDGELITE_INT32 = 2,
  EDGELITE_UINT8 = 3,
  EDGELITE_INT64 = 4,
  EDGELITE_STRING = 5,
  EDGELITE_BOOL = 6,
  EDGELITE_INT16 = 7,
  EDGELITE_COMPLEX64 = 8,
  EDGELITE_INT8 = 9,
  EDGELITE_FLOAT64 = 10,
  EDGELITE_COMPLEX128 = 11,
  EDGELITE_UINT64 = 12,
  EDGELITE_RESOURCE = 13,
  EDGELITE_VARIANT = 14,
  EDGELITE_UINT32 = 15,
  EDGELITE_UINT16 = 16,
  EDGELITE_INT4 = 17,
  EDGELITE_BFLOAT16 = 18,
  /* Not types: see EDGELITE_STATUS_FORCE_INT_MIN_. */
  EDGELITE_TYPE_FORCE_INT_MIN_ = -2147483647 - 1,
  EDGELITE_TYPE_FORCE_INT_MAX_ = 2147483647
} edgelite_type;

/* Per-tensor affine quantization: real = scale * (q - zero_point). For a
 * per-channel tensor these are the first channel's parameters (see
 * edgelite_tensor_quantization_channels for all of them). scale 0 and
 * zero_point 0: not quantized. */
typedef struct edgelite_quantization_params {
  float scale;
  int32_t zero_point;
} edgelite_quantization_params;

typedef struct edgelite_model edgelite_model;
typedef struct edgelite_interpreter_options edgelite_interpreter_options;
typedef struct edgelite_interpreter edgelite_interpreter;
typedef struct edgelite_tensor edgelite_tensor;

/* Short name of a status ("ok", "invalid model", ...); never NULL. */
const char* edgelite_status_name(edgelite_status status);
/* The message of the most recent failing call on this thread; "" if none. */
const char* edgelite_last_error_message(void);
/* The library version, "MAJOR.MINOR.PATCH". */
const char* edgelite_version(void);

/* ---- model ---------------------------------------------------------------- */

/* Loads (memory-maps), verifies and validates a .tflite file. */
edgelite_status edgelite_model_create_from_file(const char* path, edgelite_model** out_model);
/* Same from `size` bytes at `data`, which are copied: the caller may free
 * them as soon as this returns. */
edgelite_status edgelite_model_create_from_buffer(const void* data, size_t size,
                                                  edgelite_model** out_model);
void edgelite_model_delete(edgelite_model* model);

/* ---- interpreter options -------------------------------------------------- */

edgelite_interpreter_options* edgelite_interpreter_options_create(void);
void edgelite_interpreter_options_delete(edgelite_interpreter_options* options);
/* Threads an op may use (>= 1; default 1). */
edgelite_status edgelite_interpreter_options_set_num_threads(edgelite_interpreter_options* options,
                                                             int32_t num_threads);
/* Cap on all activation arenas together, in bytes (0: no cap; the default). */
edgelite_status edgelite_interpreter_options_set_max_arena_bytes(
    edgelite_interpreter_options* options, size_t max_arena_bytes);
/* Cap on any single non-constant tensor, in bytes (0: no cap; the default). */
edgelite_status edgelite_interpreter_options_set_max_tensor_bytes(
    edgelite_interpreter_options* options, size_t max_tensor_bytes);

/* ---- interpreter ---------------------------------------------------------- */

/* Creates an interpreter for `model` with all builtin ops. `options` may be
 * NULL (defaults) and may be deleted right after this call. */
edgelite_status edgelite_interpreter_create(const edgelite_model* model,
                                            const edgelite_interpreter_options* options,
                                            edgelite_interpreter** out_interpreter);
void edgelite_interpreter_delete(edgelite_interpreter* interpreter);
/* Plans the arena and prepares every op. Required before invoke and after
 * every resize. */
edgelite_status edgelite_interpreter_allocate_tensors(edgelite_interpreter* interpreter);
edgelite_status edgelite_interpreter_invoke(edgelite_interpreter* interpreter);
/* Gives input `input_index` the shape dims[0..num_dims); call allocate next. */
edgelite_status edgelite_interpreter_resize_input_tensor(edgelite_interpreter* interpreter,
                                                         int32_t input_index,
                                                         const int32_t* dims, int32_t num_dims);
/* Counts; -1 for a NULL interpreter. */
int32_t edgelite_interpreter_input_tensor_count(const edgelite_interpreter* interpreter);
int32_t edgelite_interpreter_output_tensor_count(const edgelite_interpreter* interpreter);
/* Tensors by position; NULL (with a message) for NULL or out-of-range. */
edgelite_tensor* edgelite_interpreter_input_tensor(edgelite_interpreter* interpreter,
                                                   int32_t input_index);
const edgelite_tensor* edgelite_interpreter_output_tensor(const edgelite_interpreter* interpreter,
                                                          int32_t output_index);
/* Message of the last failing call on this interpreter or its tensors; ""
 * if none; "" for NULL. */
const char* edgelite_interpreter_error_message(const edgelite_interpreter* interpreter);

/* ---- tensors -------------------------------------------------------------- */

/* Type; EDGELITE_FLOAT32 for NULL (check the tensor pointer first). */
edgelite_type edgelite_tensor_type(const edgelite_tensor* tensor);
/* Rank; -1 for NULL. */
int32_t edgelite_tensor_num_dims(const edgelite_tensor* tensor);
/* Dimension `dim_index`; -1 for NULL or an out-of-range index. */
int32_t edgelite_tensor_dim(const edgelite_tensor* tensor, int32_t dim_index);
/* Bytes of the tensor's data for its current shape; 0 for NULL. */
size_t edgelite_tensor_byte_size(const edgelite_tensor* tensor);
/* Data pointer; NULL for NULL or while not allocated. */
void* edgelite_tensor_data(const edgelite_tensor* tensor);
/* Name; "" for NULL. */
const char* edgelite_tensor_name(const edgelite_tensor* tensor);
/* Per-tensor quantization (see edgelite_quantization_params); zeros for NULL. */
edgelite_quantization_params edgelite_tensor_quantization_params(const edgelite_tensor* tensor);
/* Number of quantization channels (0: not quantized, 1: per-tensor); -1 for NULL. */
int32_t edgelite_tensor_quantization_channels(const edgelite_tensor* tensor);
/* Channel `channel` of a (per-channel) quantized tensor. */
edgelite_status edgelite_tensor_quantization_channel(const edgelite_tensor* tensor,
                                                     int32_t channel, float* scale,
                                                     int64_t* zero_point,
                                                     int32_t* quantized_dimension);
/* Copies `size` bytes into an input tensor. `size` must equal
 * edgelite_tensor_byte_size; the interpreter must be allocated (and not
 * resized since). */
edgelite_status edgelite_tensor_copy_from_buffer(edgelite_tensor* tensor, const void* data,
                                                 size_t size);
/* Same, also checking that the tensor's type is `type`. */
edgelite_status edgelite_tensor_copy_from_buffer_typed(edgelite_tensor* tensor,
                                                       edgelite_type type, const void* data,
                                                       size_t size);
/* Copies the tensor's bytes out; `size` must equal edgelite_tensor_byte_size. */
edgelite_status edgelite_tensor_copy_to_buffer(const edgelite_tensor* tensor, void* data,
                                               size_t size);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* EDGELITE_C_C_API_H_ */
