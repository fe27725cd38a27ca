// EMBEDDING_LOOKUP: ids int32 [n], table [rows, ...] -> [n, ...], row copies.
// Type-agnostic when table and output share a type (pure data movement).
// The hybrid form (int8/uint8 table, float32 output) is not supported yet.
// Ids are checked against the table: at prepare if constant, else at eval.
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/embedding_lookup.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kIds = 0, kTable = 1;

Status CheckIds(OpContext& ctx, const Tensor* ids, const Tensor* table, StatusCode code) {
  const int32_t* id = ids->data_as<int32_t>();
  const int32_t rows = table->shape.dims[0];
  for (int64_t i = 0; i < ids->num_elements(); ++i)
    if (id[i] < 0 || id[i] >= rows)
      return ctx.Fail(code, "id %d at position %lld of '%s' is out of range [0, %d)", id[i],
                      static_cast<long long>(i), ids->name, rows);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *ids, *table, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kIds, &ids));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kTable, &table));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, ids, DataType::kInt32, "ids"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, ids, 1, 1, "ids"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, table, 1, kMaxRank, "table"));
  if (table->type != output->type) {
    if (output->type == DataType::kFloat32 &&
        (table->type == DataType::kInt8 || table->type == DataType::kUInt8))
      return ctx.Fail(StatusCode::kUnsupported,
                      "hybrid EMBEDDING_LOOKUP (%s table '%s', float32 output) is not supported "
                      "yet",
                      DataTypeName(table->type), table->name);
    return CheckSameType(ctx, table, output);
  }
  if (DataTypeSize(table->type) == 0)
    return ctx.Fail(StatusCode::kUnsupported, "table '%s' of type %s is not supported",
                    table->name, DataTypeName(table->type));
  if (table->quant.is_quantized() || output->quant.is_quantized()) {
    bool same = table->quant.count == output->quant.count;
    for (int i = 0; same && i < table->quant.count; ++i)
      same = table->quant.scale[i] == output->quant.scale[i] &&
             table->quant.zero_point[i] == output->quant.zero_point[i];
    if (!same)
      return ctx.Fail(StatusCode::kUnsupported,
                      "table '%s' and output '%s' must share their quantization", table->name,
                      output->name);
  }
  if (ctx.HasData(ids))
    EDGELITE_RETURN_IF_ERROR(CheckIds(ctx, ids, table, StatusCode::kInvalidModel));
  Shape s = table->shape;
  s.dims[0] = ids->shape.dims[0];
  return ctx.ResizeOutput(output, s);
}

Status Eval(OpContext& ctx) {
  const Tensor* ids = ctx.input(kIds);
  const Tensor* table = ctx.input(kTable);
  Tensor* output = ctx.output(0);
  // Ids arrive with the input data: check them every time (never read out of bounds).
  EDGELITE_RETURN_IF_ERROR(CheckIds(ctx, ids, table, StatusCode::kRuntimeError));
  const size_t row_bytes =
      static_cast<size_t>(table->shape.FlatSize(1, table->shape.rank)) * DataTypeSize(table->type);
  ref::EmbeddingLookup(table->data_as<uint8_t>(), row_bytes, ids->data_as<int32_t>(),
                       ids->num_elements(), output->data_as<uint8_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_EMBEDDING_LOOKUP() {
  static const OpRegistration reg = {"EMBEDDING_LOOKUP", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
