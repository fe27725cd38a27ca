// Status and its message: the desktop Status (std::string message) and the micro profile's
// (one static buffer, include/edgelite/status.h) must behave the same for the code base. Also
// runs as firmware (micro op test group "runtime"); the EDGELITE_MICRO block checks what only
// the micro Status does (shared buffer, messages cut at kMaxMessageBytes - 1).
#include <string>

#include "tests/test_util.h"

namespace edgelite {
namespace {

TEST(Status, OkHasNoMessage) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_TRUE(s.message().empty());
  EXPECT_EQ(std::string(Status::Ok().ToString()), "ok");
  EXPECT_TRUE(s.WithContext("ctx").ok());
  EXPECT_TRUE(s.WithContext("ctx").message().empty());
}

TEST(Status, ErrorFormatsItsMessage) {
  const Status s = Status::Error(StatusCode::kInvalidModel, "tensor %d: %s", 7, "bad");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_EQ(std::string(s.message().c_str()), "tensor 7: bad");
  EXPECT_EQ(s.message().size(), 13u);
  EXPECT_EQ(s.message().find("7"), 7u);
  EXPECT_EQ(s.message().find("bad", 8), 10u);
  EXPECT_EQ(s.message().find("absent"), std::string::npos);
  EXPECT_EQ(s.message().find(std::string("tensor")), 0u);
  EXPECT_EQ(std::string(s.ToString()), "invalid model: tensor 7: bad");
}

TEST(Status, ConstructedFromConstCharOrString) {
  const Status a(StatusCode::kNotFound, "no such tensor");
  EXPECT_EQ(std::string(a.message().c_str()), "no such tensor");
  const Status b(StatusCode::kUnsupported, std::string("op ") + "FOO");
  EXPECT_EQ(b.code(), StatusCode::kUnsupported);
  EXPECT_EQ(std::string(b.message().c_str()), "op FOO");
  const std::string copied = b.message();  // converts to std::string
  EXPECT_EQ(copied, "op FOO");
}

TEST(Status, WithContextPrefixesTheMessage) {
  const Status s = Status::Error(StatusCode::kRuntimeError, "division by zero");
  const Status c = s.WithContext(std::string("subgraph 0, operator 2 (DIV)"));
  EXPECT_EQ(c.code(), StatusCode::kRuntimeError);
  EXPECT_EQ(std::string(c.message().c_str()), "subgraph 0, operator 2 (DIV): division by zero");
  const Status d = c.WithContext("model");
  EXPECT_EQ(std::string(d.message().c_str()),
            "model: subgraph 0, operator 2 (DIV): division by zero");
}

// In the micro profile the prefix and the format arguments may point into the buffer the new
// message is written to.
TEST(Status, MessageCanBeUsedToBuildTheNextOne) {
  const Status s = Status::Error(StatusCode::kInvalidModel, "abc");
  const Status twice = s.WithContext(s.message().c_str());
  EXPECT_EQ(std::string(twice.message().c_str()), "abc: abc");
  const Status wrapped = Status::Error(StatusCode::kUnsupported, "[%s] %s", twice.message().c_str(),
                                       twice.message().c_str());
  EXPECT_EQ(std::string(wrapped.message().c_str()), "[abc: abc] abc: abc");
  const Status same(wrapped.code(), wrapped.message().c_str());
  EXPECT_EQ(std::string(same.message().c_str()), "[abc: abc] abc: abc");
}

#if EDGELITE_MICRO
TEST(Status, MicroMessagesShareOneBufferAndAreCut) {
  const Status first = Status::Error(StatusCode::kInternal, "first");
  const Status second = Status::Error(StatusCode::kInternal, "second");
  // The latest error's text wins (documented in status.h).
  EXPECT_EQ(std::string(first.message().c_str()), "second");
  EXPECT_EQ(std::string(second.message().c_str()), "second");
  EXPECT_TRUE(Status().message().empty());  // an OK status leaves the buffer alone
  EXPECT_EQ(std::string(second.message().c_str()), "second");

  const std::string long_text(3 * Status::kMaxMessageBytes, 'x');
  const Status cut(StatusCode::kInvalidModel, long_text);
  EXPECT_EQ(cut.message().size(), Status::kMaxMessageBytes - 1);
  const Status formatted = Status::Error(StatusCode::kInvalidModel, "%s!", long_text.c_str());
  EXPECT_EQ(formatted.message().size(), Status::kMaxMessageBytes - 1);
  const Status context = formatted.WithContext(long_text);
  EXPECT_EQ(context.message().size(), Status::kMaxMessageBytes - 1);
  EXPECT_EQ(std::string(context.message().c_str()),
            long_text.substr(0, Status::kMaxMessageBytes - 1));
  const std::string full = context.ToString();
  EXPECT_EQ(full.substr(0, 15), "invalid model: ");
  EXPECT_EQ(full.size(), 15 + Status::kMaxMessageBytes - 1);
}
#endif

}  // namespace
}  // namespace edgelite
