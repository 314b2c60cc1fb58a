# Writes the small HDF5 files that Hdf5WeightsTest reads. Run once with h5py (Debian: python3-h5py);
# the outputs are committed, so the build itself needs no Python.
import h5py
import numpy as np

with h5py.File("nested.h5", "w") as f:          # datasets in groups, as Keras-style exporters write them
    f.create_dataset("conv1/weight", data=np.arange(6, dtype=np.float32).reshape(2, 3))
    f.create_dataset("conv1/bias", data=np.array([0.5, -0.25], dtype=np.float32))
    f.create_dataset("fc.weight", data=np.array([[1, 2], [3, 4]], dtype=np.float32))
    f.create_dataset("scale", data=np.float32(0.75))   # a scalar: shape ()

with h5py.File("mixed-dtypes.h5", "w") as f:    # what a float32-only reader must refuse, by name
    f.create_dataset("w", data=np.array([1, 2], dtype=np.float32))
    f.create_dataset("d", data=np.array([1, 2], dtype=np.float64))
    f.create_dataset("step", data=np.int64(7))

with h5py.File("name-clash.h5", "w") as f:      # "a.b" at the root and "b" in group "a" both read as "a.b"
    f.create_dataset("a.b", data=np.zeros(1, dtype=np.float32))
    f.create_dataset("a/b", data=np.ones(1, dtype=np.float32))
