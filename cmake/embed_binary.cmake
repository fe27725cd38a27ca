# cmake -DIN=file -DOUT=file.cc -DNAME=symbol -P embed_binary.cmake
# Writes `file` as a 16-byte-aligned const array `NAME` plus `NAME_len`, the same layout as
# `edgelite export-c` (tools/export_c.cc): used at build time for the micro examples' models and
# test data, which come from ../shared and are never committed.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
# 0xNN, per byte; 16 per line
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n  " body "${body}")
file(WRITE "${OUT}"
"// Generated from ${IN} by cmake/embed_binary.cmake; do not edit.\n"
"#include <cstddef>\n\n"
"extern const unsigned char ${NAME}[];\n"
"extern const size_t ${NAME}_len;\n"
"alignas(16) const unsigned char ${NAME}[] = {\n  ${body}\n};\n"
"const size_t ${NAME}_len = ${bytes};\n")
