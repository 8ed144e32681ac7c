// A no-op std::ios_base_library_init() for libstdc++ older than GCC 13's (GLIBCXX_3.4.32): run.sh compiles this into
// artifacts/torchsharp/ and LD_PRELOADs it for TorchSharp's patched libLibTorchSharp.so (see README.md).
namespace std { void ios_base_library_init() {} }
