// LibTorch's statically linked oneMKL takes its fast (AVX2/AVX-512) code paths only when this returns true, which it
// does on Intel CPUs alone; on others (AMD) it falls back to a generic path, about 2x slower for sgemm here. run.sh
// compiles this into artifacts/torchsharp/ and LD_PRELOADs it on non-Intel CPUs, as side_by_side.sh gives
// PyTorch's OpenBLAS OPENBLAS_CORETYPE: every side runs its best kernels for the CPU (see README.md).
extern "C" int mkl_serv_intel_cpu_true() { return 1; }
