/* C API test body, compiled as C (C99) to prove include/edgelite/c/c_api.h is
 * valid C. Driven by tests/c_api_test.cc, which builds the model with the
 * C++ writer API: y = a + b, float32, a, b and y of shape [1, 4]. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "edgelite/c/c_api.h"

#define EXPECT(cond)                                                                 \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      snprintf(failure, failure_size, "line %d: %s (last error: %s)", __LINE__, #cond, \
               edgelite_last_error_message());                                       \
      goto done;                                                                     \
    }                                                                                \
  } while (0)

/* Every entry point with NULL arguments: errors, messages, no crash. */
int edgelite_c_api_null_safety(char* failure, size_t failure_size) {
  int ok = 0;
  edgelite_model* model = (edgelite_model*)1; /* must be reset to NULL on error */
  edgelite_interpreter* interp = (edgelite_interpreter*)1;
  float f = 0.0f;
  int64_t zp = 0;
  int32_t qd = 0;
  edgelite_quantization_params qp;
  EXPECT(edgelite_model_create_from_file(NULL, &model) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(model == NULL);
  EXPECT(strstr(edgelite_last_error_message(), "path is NULL") != NULL);
  EXPECT(edgelite_model_create_from_file("x.tflite", NULL) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_model_create_from_buffer(NULL, 10, &model) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_model_create_from_file("/nonexistent/edgelite.tflite", &model) ==
         EDGELITE_IO_ERROR);
  EXPECT(strlen(edgelite_last_error_message()) > 0);
  edgelite_model_delete(NULL);
  EXPECT(edgelite_interpreter_options_set_num_threads(NULL, 2) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_options_set_max_arena_bytes(NULL, 2) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_options_set_max_tensor_bytes(NULL, 2) == EDGELITE_INVALID_ARGUMENT);
  edgelite_interpreter_options_delete(NULL);
  EXPECT(edgelite_interpreter_create(NULL, NULL, &interp) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(interp == NULL);
  EXPECT(edgelite_interpreter_create(NULL, NULL, NULL) == EDGELITE_INVALID_ARGUMENT);
  edgelite_interpreter_delete(NULL);
  EXPECT(edgelite_interpreter_allocate_tensors(NULL) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_invoke(NULL) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_resize_input_tensor(NULL, 0, NULL, 0) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_input_tensor_count(NULL) == -1);
  EXPECT(edgelite_interpreter_output_tensor_count(NULL) == -1);
  EXPECT(edgelite_interpreter_input_tensor(NULL, 0) == NULL);
  EXPECT(edgelite_interpreter_output_tensor(NULL, 0) == NULL);
  EXPECT(strcmp(edgelite_interpreter_error_message(NULL), "") == 0);
  EXPECT(edgelite_tensor_type(NULL) == EDGELITE_FLOAT32);
  EXPECT(edgelite_tensor_num_dims(NULL) == -1);
  EXPECT(edgelite_tensor_dim(NULL, 0) == -1);
  EXPECT(edgelite_tensor_byte_size(NULL) == 0);
  EXPECT(edgelite_tensor_data(NULL) == NULL);
  EXPECT(strcmp(edgelite_tensor_name(NULL), "") == 0);
  qp = edgelite_tensor_quantization_params(NULL);
  EXPECT(qp.scale == 0.0f && qp.zero_point == 0);
  EXPECT(edgelite_tensor_quantization_channels(NULL) == -1);
  EXPECT(edgelite_tensor_quantization_channel(NULL, 0, &f, &zp, &qd) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_from_buffer(NULL, &f, 4) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_from_buffer_typed(NULL, EDGELITE_FLOAT32, &f, 4) ==
         EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_to_buffer(NULL, &f, 4) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(strcmp(edgelite_status_name(EDGELITE_OK), "ok") == 0 ||
         strlen(edgelite_status_name(EDGELITE_OK)) > 0);
  EXPECT(strlen(edgelite_status_name((edgelite_status)99)) > 0);
  ok = 1;
done:
  return ok;
}

/* The add model end to end, with every misuse on the way. */
int edgelite_c_api_add_model(const void* bytes, size_t size, char* failure, size_t failure_size) {
  int ok = 0;
  edgelite_model* model = NULL;
  edgelite_interpreter_options* options = NULL;
  edgelite_interpreter* interp = NULL;
  edgelite_interpreter* small = NULL;
  edgelite_tensor* a = NULL;
  edgelite_tensor* b = NULL;
  const edgelite_tensor* y = NULL;
  const float va[4] = {1.0f, 2.0f, 3.0f, 4.0f};
  const float vb[4] = {0.5f, -2.0f, 10.0f, 0.25f};
  float out[8];
  float big[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const int32_t neg[2] = {1, -4};
  const int32_t two_by_four[2] = {2, 4};
  const int32_t huge[8] = {65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536};
  const char garbage[64] = "definitely not a flatbuffer";
  int i;

  EXPECT(edgelite_model_create_from_buffer(garbage, sizeof(garbage), &model) ==
         EDGELITE_INVALID_MODEL);
  EXPECT(model == NULL && strlen(edgelite_last_error_message()) > 0);
  EXPECT(edgelite_model_create_from_buffer(bytes, size / 2, &model) == EDGELITE_INVALID_MODEL);
  EXPECT(edgelite_model_create_from_buffer(bytes, size, &model) == EDGELITE_OK);

  options = edgelite_interpreter_options_create();
  EXPECT(options != NULL);
  EXPECT(edgelite_interpreter_options_set_num_threads(options, 0) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_options_set_num_threads(options, 2) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_create(model, options, &interp) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_input_tensor_count(interp) == 2);
  EXPECT(edgelite_interpreter_output_tensor_count(interp) == 1);

  a = edgelite_interpreter_input_tensor(interp, 0);
  b = edgelite_interpreter_input_tensor(interp, 1);
  y = edgelite_interpreter_output_tensor(interp, 0);
  EXPECT(a != NULL && b != NULL && y != NULL);
  EXPECT(edgelite_interpreter_input_tensor(interp, 2) == NULL);
  EXPECT(strstr(edgelite_interpreter_error_message(interp), "input 2 does not exist") != NULL);
  EXPECT(edgelite_interpreter_input_tensor(interp, -1) == NULL);
  EXPECT(edgelite_interpreter_output_tensor(interp, 1) == NULL);
  EXPECT(strcmp(edgelite_tensor_name(a), "a") == 0);
  EXPECT(edgelite_tensor_type(a) == EDGELITE_FLOAT32);
  EXPECT(edgelite_tensor_num_dims(a) == 2);
  EXPECT(edgelite_tensor_dim(a, 1) == 4 && edgelite_tensor_dim(a, 2) == -1 &&
         edgelite_tensor_dim(a, -1) == -1);
  EXPECT(edgelite_tensor_byte_size(a) == 16);
  EXPECT(edgelite_tensor_quantization_channels(a) == 0);

  /* Wrong order: invoke and copies before allocate. */
  EXPECT(edgelite_interpreter_invoke(interp) == EDGELITE_FAILED_PRECONDITION);
  EXPECT(strstr(edgelite_interpreter_error_message(interp), "allocate") != NULL);
  EXPECT(edgelite_tensor_copy_from_buffer(a, va, sizeof(va)) == EDGELITE_FAILED_PRECONDITION);
  EXPECT(edgelite_tensor_data(a) == NULL);

  EXPECT(edgelite_interpreter_allocate_tensors(interp) == EDGELITE_OK);
  EXPECT(edgelite_tensor_data(a) != NULL);
  /* Wrong sizes, types, buffers, directions. */
  EXPECT(edgelite_tensor_copy_from_buffer(a, va, 12) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(strstr(edgelite_interpreter_error_message(interp), "holds 16 bytes") != NULL);
  EXPECT(edgelite_tensor_copy_from_buffer(a, va, 20) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_from_buffer(a, NULL, 16) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_from_buffer_typed(a, EDGELITE_INT32, va, 16) ==
         EDGELITE_INVALID_ARGUMENT);
  EXPECT(strstr(edgelite_interpreter_error_message(interp), "has type float32, not int32") != NULL);
  EXPECT(edgelite_tensor_copy_from_buffer_typed(a, (edgelite_type)77, va, 16) ==
         EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_from_buffer((edgelite_tensor*)y, va, 16) ==
         EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_to_buffer(y, out, 8) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_tensor_copy_to_buffer(y, NULL, 16) == EDGELITE_INVALID_ARGUMENT);

  EXPECT(edgelite_tensor_copy_from_buffer_typed(a, EDGELITE_FLOAT32, va, sizeof(va)) ==
         EDGELITE_OK);
  EXPECT(edgelite_tensor_copy_from_buffer(b, vb, sizeof(vb)) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_invoke(interp) == EDGELITE_OK);
  EXPECT(edgelite_tensor_copy_to_buffer(y, out, 16) == EDGELITE_OK);
  for (i = 0; i < 4; ++i) EXPECT(out[i] == va[i] + vb[i]); /* exact: sums of dyadic values */
  EXPECT(edgelite_tensor_copy_to_buffer(a, out, 16) == EDGELITE_OK && out[3] == 4.0f);

  /* Invalid resizes leave the interpreter usable. */
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 0, neg, 2) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(strstr(edgelite_interpreter_error_message(interp), "negative") != NULL);
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 0, NULL, 2) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 0, neg, 9) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 0, neg, -1) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 0, huge, 8) == EDGELITE_INVALID_ARGUMENT);
  EXPECT(strstr(edgelite_interpreter_error_message(interp), "overflow") != NULL);
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 5, two_by_four, 2) ==
         EDGELITE_INVALID_ARGUMENT);
  EXPECT(edgelite_interpreter_invoke(interp) == EDGELITE_OK);

  /* A valid resize: stale until allocate. */
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 0, two_by_four, 2) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_resize_input_tensor(interp, 1, two_by_four, 2) == EDGELITE_OK);
  EXPECT(edgelite_tensor_byte_size(a) == 32);
  EXPECT(edgelite_interpreter_invoke(interp) == EDGELITE_FAILED_PRECONDITION);
  EXPECT(edgelite_tensor_copy_from_buffer(a, big, 32) == EDGELITE_FAILED_PRECONDITION);
  EXPECT(edgelite_tensor_data(a) == NULL);
  EXPECT(edgelite_interpreter_allocate_tensors(interp) == EDGELITE_OK);
  EXPECT(edgelite_tensor_copy_from_buffer(a, big, 32) == EDGELITE_OK);
  EXPECT(edgelite_tensor_copy_from_buffer(b, big, 32) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_invoke(interp) == EDGELITE_OK);
  EXPECT(edgelite_tensor_copy_to_buffer(y, out, 32) == EDGELITE_OK);
  for (i = 0; i < 8; ++i) EXPECT(out[i] == 2.0f * big[i]);

  /* Limits: a 16-byte tensor cap refuses the [2,4] float resize; an arena cap
   * of 64 bytes refuses allocate and everything after it fails cleanly. */
  EXPECT(edgelite_interpreter_options_set_max_tensor_bytes(options, 16) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_options_set_max_arena_bytes(options, 64) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_create(model, options, &small) == EDGELITE_OK);
  EXPECT(edgelite_interpreter_resize_input_tensor(small, 0, two_by_four, 2) ==
         EDGELITE_RESOURCE_EXHAUSTED);
  EXPECT(strstr(edgelite_interpreter_error_message(small), "needs 32 bytes") != NULL);
  EXPECT(strstr(edgelite_interpreter_error_message(small), "'a'") != NULL);
  EXPECT(edgelite_interpreter_allocate_tensors(small) == EDGELITE_RESOURCE_EXHAUSTED);
  EXPECT(strstr(edgelite_interpreter_error_message(small), "max_arena_bytes") != NULL);
  EXPECT(edgelite_interpreter_invoke(small) == EDGELITE_FAILED_PRECONDITION);
  EXPECT(edgelite_tensor_copy_from_buffer(edgelite_interpreter_input_tensor(small, 0), va, 16) ==
         EDGELITE_FAILED_PRECONDITION);
  EXPECT(edgelite_tensor_copy_to_buffer(edgelite_interpreter_output_tensor(small, 0), out, 16) ==
         EDGELITE_FAILED_PRECONDITION);
  ok = 1;
done:
  edgelite_interpreter_delete(small);
  edgelite_interpreter_delete(interp);
  edgelite_interpreter_options_delete(options);
  edgelite_model_delete(model);
  return ok;
}
