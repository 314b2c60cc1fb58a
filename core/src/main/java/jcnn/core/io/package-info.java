/**
 * Reading and writing tensors in the safetensors format, the bridge to PyTorch's weights and reference outputs.
 * Strict on input (every malformed file is a {@link jcnn.core.io.SafetensorsException} naming file and field),
 * deterministic on output. Not for: other formats (HDF5, .pth), other dtypes than F32 and I64.
 */
package jcnn.core.io;
