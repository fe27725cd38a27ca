#include "tools/edgelite/image.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "tools/edgelite/common.h"

// The one translation unit holding stb_image's implementation. Only the
// decoders the CLI accepts are compiled in.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_BMP
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_FAILURE_USERMSG
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace edgelite {
namespace cli {

bool IsImagePath(const std::string& path) {
  const std::string e = Extension(path);
  return e == "bmp" || e == "jpg" || e == "jpeg" || e == "png";
}

Image DecodeImage(const std::string& path, int channels) {
  const std::vector<uint8_t> bytes = ReadBinaryFile(path);
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) throw CliError("image '" + path + "' is too large");
  int w = 0, h = 0, c = 0;
  uint8_t* px = stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &c,
                                      channels);
  if (px == nullptr)
    throw CliError("cannot decode image '" + path + "': " + stbi_failure_reason());
  Image img;
  img.width = w;
  img.height = h;
  img.channels = channels;
  img.pixels.assign(px, px + static_cast<size_t>(w) * h * channels);
  stbi_image_free(px);
  return img;
}

Image ResizeBilinear(const Image& in, int out_height, int out_width) {
  Image out;
  out.width = out_width;
  out.height = out_height;
  out.channels = in.channels;
  out.pixels.resize(static_cast<size_t>(out_width) * out_height * in.channels);
  // As TFLite's reference RESIZE_BILINEAR: scale = in / out in float, the
  // source coordinate is dst * scale, neighbours floor() and ceil() clamped.
  const float height_scale = static_cast<float>(in.height) / out_height;
  const float width_scale = static_cast<float>(in.width) / out_width;
  const int C = in.channels;
  auto at = [&](int y, int x, int c) -> float {
    return in.pixels[(static_cast<size_t>(y) * in.width + x) * C + c];
  };
  for (int y = 0; y < out_height; ++y) {
    const float iy = y * height_scale;
    const int y0 = std::max(static_cast<int>(std::floor(iy)), 0);
    const int y1 = std::min(static_cast<int>(std::ceil(iy)), in.height - 1);
    const float dy = iy - y0;
    for (int x = 0; x < out_width; ++x) {
      const float ix = x * width_scale;
      const int x0 = std::max(static_cast<int>(std::floor(ix)), 0);
      const int x1 = std::min(static_cast<int>(std::ceil(ix)), in.width - 1);
      const float dx = ix - x0;
      for (int c = 0; c < C; ++c) {
        const float v = at(y0, x0, c) * (1 - dy) * (1 - dx) + at(y1, x0, c) * dy * (1 - dx) +
                        at(y0, x1, c) * (1 - dy) * dx + at(y1, x1, c) * dy * dx;
        const float r = std::round(v);
        out.pixels[(static_cast<size_t>(y) * out_width + x) * C + c] =
            static_cast<uint8_t>(std::min(255.0f, std::max(0.0f, r)));
      }
    }
  }
  return out;
}

std::string ImageToTensor(const std::string& path, DataType type, const Shape& shape, void* data,
                          size_t bytes, float mean, float std_dev) {
  // Work out the layout: NHWC (TFLite's), NCHW (PyTorch exports) or HWC.
  int n = 1, h = 0, w = 0, c = 0;
  bool nchw = false;
  const auto is_channels = [](int32_t d) { return d == 1 || d == 3; };
  if (shape.rank == 4 && is_channels(shape[3])) {
    n = shape[0], h = shape[1], w = shape[2], c = shape[3];
  } else if (shape.rank == 4 && is_channels(shape[1])) {
    n = shape[0], c = shape[1], h = shape[2], w = shape[3];
    nchw = true;
  } else if (shape.rank == 3 && is_channels(shape[2])) {
    h = shape[0], w = shape[1], c = shape[2];
  } else {
    throw CliError("an image was given for an input of shape " + ShapeString(shape) +
                   ": image inputs need [N,H,W,C], [N,C,H,W] or [H,W,C] with 1 or 3 channels");
  }
  if (h <= 0 || w <= 0) throw CliError("input shape " + ShapeString(shape) + " has no pixels");
  switch (type) {
    case DataType::kUInt8: case DataType::kInt8: case DataType::kFloat32:
    case DataType::kInt16: case DataType::kInt32:
      break;
    default:
      throw CliError(std::string("cannot feed an image to an input of type ") + DataTypeName(type));
  }
  if (type == DataType::kFloat32 && std_dev == 0.0f) throw CliError("--image-std must not be 0");
  const Image decoded = DecodeImage(path, c);
  const Image img = (decoded.width == w && decoded.height == h) ? decoded : ResizeBilinear(decoded, h, w);
  const size_t plane = static_cast<size_t>(h) * w;
  const size_t per_image = plane * c;
  if (bytes != per_image * n * DataTypeSize(type))
    throw CliError("internal: image input size mismatch");
  for (int b = 0; b < n; ++b) {
    for (size_t p = 0; p < plane; ++p) {
      for (int ch = 0; ch < c; ++ch) {
        const uint8_t v = img.pixels[p * c + ch];
        const size_t dst = b * per_image + (nchw ? ch * plane + p : p * c + ch);
        switch (type) {
          case DataType::kUInt8: static_cast<uint8_t*>(data)[dst] = v; break;
          case DataType::kInt8: static_cast<int8_t*>(data)[dst] = static_cast<int8_t>(v - 128); break;
          case DataType::kFloat32: static_cast<float*>(data)[dst] = (v - mean) / std_dev; break;
          case DataType::kInt16: static_cast<int16_t*>(data)[dst] = v; break;
          case DataType::kInt32: static_cast<int32_t*>(data)[dst] = v; break;
          default: break;
        }
      }
    }
  }
  std::ostringstream s;
  s << "image " << path << " (" << decoded.width << "x" << decoded.height << ", "
    << (c == 1 ? "gray" : "RGB");
  if (decoded.width != w || decoded.height != h) s << ", resized to " << w << "x" << h;
  s << (nchw ? ", NCHW" : "");
  if (type == DataType::kInt8) s << ", value-128";
  if (type == DataType::kFloat32) {
    if (mean != 0.0f || std_dev != 1.0f)
      s << ", (v-" << mean << ")/" << std_dev;
    else
      s << ", float 0..255";
  }
  s << ")";
  return s.str();
}

}  // namespace cli
}  // namespace edgelite
