// EMBEDDING_LOOKUP.
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(EmbeddingLookup, HandComputedFloat) {
  // table rows r0 = {0,1}, r1 = {10,11}, r2 = {20,21}; ids {2,0,2} -> r2 r0 r2.
  SingleOpModel m;
  int ids = m.Input(DataType::kInt32, {3});
  int table = m.Const<float>(DataType::kFloat32, {3, 2}, {0, 1, 10, 11, 20, 21});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::EMBEDDING_LOOKUP, {ids, table}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int32_t>(ids, {2, 0, 2});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{3, 2}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{20, 21, 0, 1, 20, 21}));
  m.Set<int32_t>(ids, {0, 3, 1});  // 3 is past the table
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
  m.Set<int32_t>(ids, {-1, 0, 1});
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
}

TEST(EmbeddingLookup, Int8Rank3Table) {
  // table [2, 2, 2] int8; ids {1, 1}: row 1 twice.
  SingleOpModel m;
  int ids = m.Const<int32_t>(DataType::kInt32, {2}, {1, 1});
  int table = m.Input(DataType::kInt8, {2, 2, 2});
  int y = m.Output(DataType::kInt8);
  m.Op(fb::BuiltinOperator::EMBEDDING_LOOKUP, {ids, table}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int8_t>(table, {1, 2, 3, 4, -5, -6, -7, -8});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 2, 2}));
  EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{-5, -6, -7, -8, -5, -6, -7, -8}));
}

TEST(EmbeddingLookup, Errors) {
  {  // constant id out of range: caught at prepare
    SingleOpModel m;
    int ids = m.Const<int32_t>(DataType::kInt32, {1}, {5});
    int table = m.Input(DataType::kFloat32, {2, 2});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::EMBEDDING_LOOKUP, {ids, table}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("EMBEDDING_LOOKUP"), std::string::npos) << s.message();
  }
  {  // hybrid not yet
    SingleOpModel m;
    int ids = m.Input(DataType::kInt32, {1});
    int table = m.Const<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, 4});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::EMBEDDING_LOOKUP, {ids, table}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kUnsupported);
  }
}

}  // namespace
}  // namespace edgelite
