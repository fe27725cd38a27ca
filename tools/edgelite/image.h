// Image inputs for `edgelite run`: decode (stb_image), resize like TFLite's
// RESIZE_BILINEAR, lay out as the input tensor wants.
#ifndef EDGELITE_TOOLS_EDGELITE_IMAGE_H_
#define EDGELITE_TOOLS_EDGELITE_IMAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "edgelite/tensor.h"

namespace edgelite {
namespace cli {

// Interleaved 8-bit pixels, row-major (HWC).
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;
};

// True for the extensions decoded as images (bmp, jpg, jpeg, png).
bool IsImagePath(const std::string& path);

// Decodes a file into `channels` channels (1: grayscale, 3: RGB). Throws CliError.
Image DecodeImage(const std::string& path, int channels);

// Bilinear resize with TFLite's RESIZE_BILINEAR semantics for
// align_corners=false, half_pixel_centers=false: source coordinate
// y * (in_h / out_h) (float), neighbours floor/ceil clamped to the edge,
// weights computed in float, result rounded to the nearest uint8.
Image ResizeBilinear(const Image& in, int out_height, int out_width);

// Fills an image input tensor: shape [N,H,W,C] (or [N,C,H,W] when the channel
// dimension is recognisably second, or [H,W,C]) with C in {1,3}; every batch
// gets the same image. Conversion: uint8 as is, int8 as value-128, float32 as
// (value - mean) / std (default mean 0, std 1: pixels 0..255), int16/int32 as is. Returns a description
// of what was done. Throws CliError when the tensor is not image-shaped.
std::string ImageToTensor(const std::string& path, DataType type, const Shape& shape, void* data,
                          size_t bytes, float mean, float std_dev);

}  // namespace cli
}  // namespace edgelite

#endif  // EDGELITE_TOOLS_EDGELITE_IMAGE_H_
