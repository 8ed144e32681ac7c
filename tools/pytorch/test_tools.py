"""Tests of tools/pytorch: the safetensors writer/reader, the committed BasicBlock fixtures, and the generator.

    /usr/bin/python3 -m unittest discover -s tools/pytorch -p 'test_*.py' -v

The fixtures are also checked against an independent NumPy re-implementation of the block (forward in float64,
gradients by central finite differences), so they are known to describe the computation the docs claim.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "Graph.Tests", "Fixtures", "pytorch")
PY = "/usr/bin/python3"
sys.path.insert(0, HERE)
import safetensors_io  # noqa: E402

BLOCK_PARAMS = ["bn1.bias", "bn1.weight", "bn2.bias", "bn2.weight", "conv1.weight", "conv2.weight",
                "downsample.0.weight", "downsample.1.bias", "downsample.1.weight"]
BLOCK_BUFFERS = [f"{bn}.{b}" for bn in ("bn1", "bn2", "downsample.1")
                 for b in ("num_batches_tracked", "running_mean", "running_var")]
BLOCK_KEYS = sorted([f"{k}/{p}" for k in ("param", "grad", "updated") for p in BLOCK_PARAMS]
                    + [f"buffer/{b}" for b in BLOCK_BUFFERS] + ["input", "labels", "prediction", "loss"])


class FormatTests(unittest.TestCase):
    def test_writer_bytes_match_the_format_by_hand(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.safetensors")
            safetensors_io.save(path, {"b": np.array([1.5, -2.0], dtype=np.float32),
                                       "a": np.array(7, dtype=np.int64)}, {"k": "v"})
            with open(path, "rb") as f:
                raw = f.read()
        header = b'{"__metadata__":{"k":"v"},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},' \
                 b'"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}'
        header += b" " * (-(8 + len(header)) % 8)
        expected = struct.pack("<Q", len(header)) + header + struct.pack("<q", 7) + struct.pack("<2f", 1.5, -2.0)
        self.assertEqual(raw, expected)
        self.assertEqual(len(raw) % 8, 0)

    def test_round_trip(self):
        rng = np.random.default_rng(1)
        tensors = {"x/f64": rng.standard_normal((3, 4)), "x/f32": rng.standard_normal((2, 1, 5)).astype(np.float32),
                   "i": np.arange(6, dtype=np.int64).reshape(2, 3), "s": np.array(3.25), "e": np.zeros((0, 3))}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.safetensors")
            safetensors_io.save(path, tensors, {"a": "b"})
            back, meta, _ = safetensors_io.load(path)
        self.assertEqual(meta, {"a": "b"})
        self.assertEqual(sorted(back), sorted(tensors))
        for k, v in tensors.items():
            self.assertEqual(back[k].dtype, v.dtype, k)
            np.testing.assert_array_equal(back[k], v)

    def _bad(self, raw, strict=True):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.safetensors")
            with open(path, "wb") as f:
                f.write(raw)
            with self.assertRaises(safetensors_io.SafetensorsError):
                safetensors_io.load(path, strict=strict)

    @staticmethod
    def _file(header_obj, data, pad=True):
        h = json.dumps(header_obj).encode()
        if pad:
            h += b" " * (-(8 + len(h)) % 8)
        return struct.pack("<Q", len(h)) + h + data

    def test_reader_rejects_damaged_files(self):
        e = lambda b, n: {"dtype": "F64", "shape": [n], "data_offsets": [b, b + 8 * n]}  # noqa: E731
        self._bad(b"\x01\x02")                                                         # too short
        self._bad(struct.pack("<Q", 1 << 40) + b"{}")                                  # header length past the end
        self._bad(self._file({"a": e(0, 2)}, b"\0" * 8))                               # data truncated
        self._bad(self._file({"a": {"dtype": "Q9", "shape": [1], "data_offsets": [0, 8]}}, b"\0" * 8))
        self._bad(self._file({"b": e(0, 1), "a": e(8, 1)}, b"\0" * 16))                # names not sorted
        self._bad(self._file({"a": e(8, 1), "b": e(0, 1)}, b"\0" * 16))                # data not in name order
        self._bad(self._file({"a": e(0, 1)}, b"\0" * 16))                              # trailing bytes
        h = json.dumps({"a": e(0, 1)}).encode()
        while (8 + len(h)) % 8 == 0:
            h += b" "
        self._bad(struct.pack("<Q", len(h)) + h + b"\0" * 8)                           # not padded to 8
        self._bad(struct.pack("<Q", 8) + b"not json")


def load_fixture(dtype):
    return safetensors_io.load(os.path.join(FIXTURES, f"basicblock_{dtype}.safetensors"))


# ---- an independent NumPy BasicBlock, float64 --------------------------------------------------------------
def conv2d(x, w, stride, pad):
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, o, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]      # n c oh ow
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return out


def batchnorm_train(x, weight, bias, stats, name, eps=1e-5, momentum=0.1):
    mean = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3))                       # biased, for normalisation
    count = x.size // x.shape[1]
    stats[f"{name}.running_mean"] = momentum * mean
    stats[f"{name}.running_var"] = (1 - momentum) * 1.0 + momentum * var * count / (count - 1)  # unbiased
    xhat = (x - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + eps)
    return xhat * weight[None, :, None, None] + bias[None, :, None, None]


def block_forward(p, x, stats=None):
    stats = {} if stats is None else stats
    out = conv2d(x, p["conv1.weight"], 2, 1)
    out = np.maximum(batchnorm_train(out, p["bn1.weight"], p["bn1.bias"], stats, "bn1"), 0)
    out = conv2d(out, p["conv2.weight"], 1, 1)
    out = batchnorm_train(out, p["bn2.weight"], p["bn2.bias"], stats, "bn2")
    identity = conv2d(x, p["downsample.0.weight"], 2, 0)
    identity = batchnorm_train(identity, p["downsample.1.weight"], p["downsample.1.bias"], stats, "downsample.1")
    return np.maximum(out + identity, 0)


class FixtureTests(unittest.TestCase):
    def test_fixtures_parse_with_the_expected_keys_dtypes_and_shapes(self):
        for dtype, code in (("float64", "F64"), ("float32", "F32")):
            tensors, meta, header = load_fixture(dtype)
            self.assertEqual(sorted(tensors), BLOCK_KEYS)
            self.assertEqual(meta["dtype"], dtype)
            self.assertEqual(meta["seed"], "0")
            for k, e in header.items():
                self.assertEqual(e["dtype"], "I64" if k.endswith("num_batches_tracked") else code, k)
            self.assertEqual(header["input"]["shape"], [2, 4, 8, 8])
            self.assertEqual(header["prediction"]["shape"], [2, 8, 4, 4])
            self.assertEqual(header["labels"]["shape"], [2, 8, 4, 4])
            self.assertEqual(header["loss"]["shape"], [])
            self.assertEqual(header["param/conv1.weight"]["shape"], [8, 4, 3, 3])
            self.assertEqual(header["param/conv2.weight"]["shape"], [8, 8, 3, 3])
            self.assertEqual(header["param/downsample.0.weight"]["shape"], [8, 4, 1, 1])
            for b in ("bn1", "bn2", "downsample.1"):
                self.assertEqual(int(tensors[f"buffer/{b}.num_batches_tracked"]), 1)
                np.testing.assert_array_equal(tensors[f"param/{b}.weight"], 1)
                np.testing.assert_array_equal(tensors[f"param/{b}.bias"], 0)
            self.assertLess(os.path.getsize(os.path.join(FIXTURES, f"basicblock_{dtype}.safetensors")), 64 * 1024)

    def test_float64_and_float32_start_from_the_same_numbers(self):
        t64, _, _ = load_fixture("float64")
        t32, _, _ = load_fixture("float32")
        for k in ["input", "labels"] + [f"param/{p}" for p in BLOCK_PARAMS]:
            np.testing.assert_array_equal(t64[k], t32[k].astype(np.float64), k)
        for k in ["prediction", "loss"] + [f"grad/{p}" for p in BLOCK_PARAMS]:
            np.testing.assert_allclose(t32[k], t64[k], rtol=1e-4, atol=1e-4, err_msg=k)

    def test_loss_and_sgd_step_are_consistent(self):
        for dtype, tol in (("float64", 1e-12), ("float32", 1e-5)):
            t, _, _ = load_fixture(dtype)
            self.assertAlmostEqual(float((t["prediction"].astype(np.float64) - t["labels"]).sum()), float(t["loss"]),
                                   delta=tol * 100)
            for p in BLOCK_PARAMS:   # first SGD step with momentum: buf = grad; p -= lr * buf
                np.testing.assert_allclose(t[f"updated/{p}"], t[f"param/{p}"] - 0.01 * t[f"grad/{p}"],
                                           rtol=tol, atol=tol, err_msg=p)

    def test_float64_fixture_matches_an_independent_numpy_block(self):
        t, _, _ = load_fixture("float64")
        params = {p: t[f"param/{p}"].copy() for p in BLOCK_PARAMS}
        x, labels = t["input"], t["labels"]
        stats = {}
        pred = block_forward(params, x, stats)
        np.testing.assert_allclose(pred, t["prediction"], rtol=1e-12, atol=1e-12)
        for k, v in stats.items():
            np.testing.assert_allclose(v, t[f"buffer/{k}"], rtol=1e-12, atol=1e-12, err_msg=k)
        loss = lambda: float((block_forward(params, x) - labels).sum())  # noqa: E731
        self.assertAlmostEqual(loss(), float(t["loss"]), delta=1e-10)
        h = 1e-6
        for p in BLOCK_PARAMS:
            flat = params[p].reshape(-1)
            fd = np.empty_like(flat)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + h
                up = loss()
                flat[i] = old - h
                down = loss()
                flat[i] = old
                fd[i] = (up - down) / (2 * h)
            np.testing.assert_allclose(fd.reshape(params[p].shape), t[f"grad/{p}"], rtol=1e-5, atol=1e-5, err_msg=p)


class GeneratorTests(unittest.TestCase):
    def test_regenerating_the_fixtures_gives_the_committed_numbers(self):
        with tempfile.TemporaryDirectory() as d:
            for dtype in ("float64", "float32"):
                out = os.path.join(d, f"b_{dtype}.safetensors")
                subprocess.run([PY, os.path.join(HERE, "resnet18_reference.py"), "--block", "--dtype", dtype,
                                "--out", out], check=True, capture_output=True)
                new, new_meta, _ = safetensors_io.load(out)
                old, old_meta, _ = load_fixture(dtype)
                self.assertEqual(sorted(new), sorted(old))
                for k in old:
                    np.testing.assert_array_equal(new[k], old[k], k)
                self.assertEqual({k: v for k, v in new_meta.items() if not k.endswith("_version")},
                                 {k: v for k, v in old_meta.items() if not k.endswith("_version")})

    def test_reader_cli_lists_every_tensor(self):
        r = subprocess.run([PY, os.path.join(HERE, "read_safetensors.py"),
                            os.path.join(FIXTURES, "basicblock_float32.safetensors")],
                           check=True, capture_output=True, text=True)
        names = [line.split("\t")[0] for line in r.stdout.splitlines() if not line.startswith("#")]
        self.assertEqual(names, BLOCK_KEYS)


# ---- tools/bench/ratio_table.py and tools/torchsharp/patch_libtorchsharp.py ---------------------------------------
sys.path.insert(0, os.path.join(ROOT, "tools", "bench"))
sys.path.insert(0, os.path.join(ROOT, "tools", "torchsharp"))
import patch_libtorchsharp  # noqa: E402
import ratio_table  # noqa: E402


def run_line(name, impl, seconds, threads=1, load1=0.5):
    return json.dumps({"name": name, "seconds": seconds, "threads": threads, "impl": impl, "load1": load1})


class RatioTableTests(unittest.TestCase):
    INFO = [
        json.dumps({"name": "info", "impl": "machine", "date": "2026-12-02 04:00 UTC", "loadavg": "0.10 0.20 0.30",
                    "cpu_model": "Test CPU", "cores": 2, "cpu_flags": ["avx2", "avx512f"], "dotnet_sdk": "10.0.401"}),
        json.dumps({"name": "info", "impl": "pytorch", "torch": "1.13.0a0", "python": "3.11.2", "cpu_capability": "AVX2",
                    "openblas_core": "SkylakeX", "openblas_coretype_env": "SkylakeX",
                    "openblas_config": "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH USE_OPENMP SkylakeX MAX_THREADS=64"}),
        json.dumps({"name": "info", "impl": "torchsharp", "torchsharp": "0.107.0", "torchvision": "0.107.0",
                    "libtorch": "2.10.0.0", "runtime": ".NET 10.0.12", "mkl_intel_cpu_true_override": True,
                    "mkl": "Intel(R) oneAPI Math Kernel Library Version 2024.2-Product Build 20240605 for Intel(R) 64 architecture applications"}),
        json.dumps({"name": "info", "impl": "graph", "runtime": ".NET 10.0.12", "gemm_kernel": "Avx512"}),
        json.dumps({"name": "info", "impl": "machine_end", "date": "2026-12-02 04:10 UTC", "loadavg": "1.00 0.90 0.80"}),
    ]

    def rows(self, text):
        return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| workload")]

    def test_ratios_are_peer_seconds_over_graph_seconds_with_milliseconds(self):
        lines = self.INFO + [run_line("sgemm_1024", "pytorch", 0.010), run_line("sgemm_1024", "torchsharp", 0.012),
                             run_line("sgemm_1024", "graph", 0.008, load1=1.25)]
        text, warnings = ratio_table.render(lines)
        self.assertEqual(self.rows(text), ["| sgemm_1024 | 1 | 10 | 12 | 8 | 1.25 | 1.50 | 1.25 |"])
        self.assertEqual(warnings, [])
        self.assertIn("| workload | threads | PyTorch ms | TorchSharp ms | Graph ms | ×PyTorch | ×TorchSharp | load1 |", text)

    def test_header_names_machine_versions_kernel_and_date(self):
        text, _ = ratio_table.render(self.INFO)
        head = text.split("\n\n")[0]
        for part in ("2026-12-02 04:00 UTC", "Test CPU, 2 cores (avx2 avx512f)", "0.10 0.20 0.30 before",
                     "1.00 0.90 0.80 after", ".NET 10.0.12 (SDK 10.0.401), GEMM kernel Avx512", "PyTorch 1.13.0a0",
                     "OpenBLAS 0.3.21 (OpenMP), kernel SkylakeX (OPENBLAS_CORETYPE=SkylakeX)",
                     "TorchSharp 0.107.0 (TorchVision 0.107.0, LibTorch 2.10.0.0, .NET 10.0.12; oneMKL 2024.2 with mkl_serv_intel_cpu_true overridden)"):
            self.assertIn(part, head)

    def test_a_missing_peer_shows_a_dash_and_a_row_without_graph_is_left_out(self):
        lines = [run_line("mlp", "pytorch", 0.004), run_line("mlp", "graph", 0.002),
                 run_line("chain", "pytorch", 1.0), run_line("chain", "torchsharp", 1.0)]
        text, warnings = ratio_table.render(lines)
        self.assertEqual(self.rows(text), ["| mlp | 1 | 4 | - | 2 | 2.00 | - | 0.50 |"])
        self.assertEqual(len(warnings), 2)
        self.assertIn("mlp at 1 threads has no torchsharp line", warnings[0])
        self.assertIn("chain at 1 threads has no Graph line", warnings[1])

    def test_rows_are_grouped_by_threads_in_the_order_they_ran(self):
        lines = []
        for t in (1, 2):
            for name in ("b", "a"):
                lines += [run_line(name, impl, 0.1, threads=t) for impl in ("pytorch", "torchsharp", "graph")]
        rows = self.rows(ratio_table.render(lines)[0])
        self.assertEqual([(r.split(" | ")[0][2:], r.split(" | ")[1]) for r in rows], [("b", "1"), ("a", "1"), ("b", "2"), ("a", "2")])

    def test_cli_reads_a_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.jsonl")
            with open(path, "w") as f:
                f.write("\n".join(self.INFO + [run_line("x", "pytorch", 0.3), run_line("x", "graph", 0.1)]) + "\n")
            r = subprocess.run([PY, os.path.join(ROOT, "tools", "bench", "ratio_table.py"), path],
                               check=True, capture_output=True, text=True)
        self.assertIn("| x | 1 | 300 | - | 100 | 3.00 | - | 0.50 |", r.stdout)
        self.assertIn("has no torchsharp line", r.stderr)


def tiny_elf(defined=False):
    """A little-endian ELF64 file with only the sections the patcher reads: .dynstr, .dynsym, .gnu.version,
    .gnu.version_r (libstdc++.so.6: GLIBCXX_3.4 as index 2, GLIBCXX_3.4.32 as index 3) and .shstrtab."""
    names = ["", "libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.32", "_ZNSt8ios_baseD2Ev", "_ZSt21ios_base_library_initv"]
    dynstr, off = b"", {}
    for n in names:
        off[n] = len(dynstr)
        dynstr += n.encode() + b"\0"
    sym = lambda name, shndx: struct.pack("<IBBHQQ", off[name], 0x12, 0, shndx, 0, 0)  # noqa: E731
    dynsym = bytes(24) + sym("_ZNSt8ios_baseD2Ev", 0) + sym("_ZSt21ios_base_library_initv", 7 if defined else 0)
    versym = struct.pack("<HHH", 0, 2, 3)
    verneed = (struct.pack("<HHIII", 1, 2, off["libstdc++.so.6"], 16, 0)
               + struct.pack("<IHHII", 0x0B792650, 0, 2, off["GLIBCXX_3.4"], 16)
               + struct.pack("<IHHII", 0x08922974, 0, 3, off["GLIBCXX_3.4.32"], 0))
    shnames = ["", ".dynstr", ".dynsym", ".gnu.version", ".gnu.version_r", ".shstrtab"]
    shstr, shoff_name = b"", []
    for n in shnames:
        shoff_name.append(len(shstr))
        shstr += n.encode() + b"\0"
    body = [dynstr, dynsym, versym, verneed, shstr]
    data = bytearray(64)
    offsets = []
    for b in body:
        offsets.append(len(data))
        data += b + bytes((-len(b)) % 8)
    shoff = len(data)
    # (type, link, info, entsize) for .dynstr, .dynsym, .gnu.version, .gnu.version_r, .shstrtab
    meta = [(3, 0, 0, 0), (11, 1, 1, 24), (0x6FFFFFFF, 2, 0, 2), (0x6FFFFFFE, 1, 1, 0), (3, 0, 0, 0)]
    data += bytes(64)
    for i, (b, (type_, link, info, entsize)) in enumerate(zip(body, meta)):
        data += struct.pack("<IIQQQQIIQQ", shoff_name[i + 1], type_, 0, 0, offsets[i], len(b), link, info, 8, entsize)
    data[:16] = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    struct.pack_into("<HHIQQQIHHHHHH", data, 16, 3, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, 6, 5)
    return data, offsets


class PatchLibTorchSharpTests(unittest.TestCase):
    def flags_and_versions(self, data, offsets):
        verneed = offsets[3]
        flags = [struct.unpack_from("<H", data, verneed + 16 + 16 * i + 4)[0] for i in range(2)]
        return flags, list(struct.unpack_from("<HHH", data, offsets[2]))

    def test_marks_the_version_weak_and_the_symbol_unversioned_and_nothing_else(self):
        data, offsets = tiny_elf()
        before = bytes(data)
        changed, messages = patch_libtorchsharp.patch(data, "GLIBCXX_3.4.32")
        self.assertTrue(changed)
        self.assertEqual(self.flags_and_versions(data, offsets), ([0, 2], [0, 2, 1]))
        self.assertEqual(sum(a != b for a, b in zip(before, data)), 2)  # one flags byte, one version byte
        self.assertIn("made _ZSt21ios_base_library_initv unversioned (was @GLIBCXX_3.4.32)", messages)

    def test_is_idempotent(self):
        data, _ = tiny_elf()
        patch_libtorchsharp.patch(data, "GLIBCXX_3.4.32")
        once = bytes(data)
        changed, messages = patch_libtorchsharp.patch(data, "GLIBCXX_3.4.32")
        self.assertFalse(changed)
        self.assertEqual(bytes(data), once)
        self.assertIn("already patched", messages)

    def test_cli_check_then_patch_then_check(self):
        data, offsets = tiny_elf()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "lib.so")
            with open(path, "wb") as f:
                f.write(data)
            script = os.path.join(ROOT, "tools", "torchsharp", "patch_libtorchsharp.py")
            self.assertEqual(subprocess.run([PY, script, "--check", path], capture_output=True).returncode, 1)
            subprocess.run([PY, script, path], check=True, capture_output=True)
            self.assertEqual(subprocess.run([PY, script, "--check", path], capture_output=True).returncode, 0)
            with open(path, "rb") as f:
                self.assertEqual(self.flags_and_versions(bytearray(f.read()), offsets), ([0, 2], [0, 2, 1]))

    def test_refuses_a_file_without_the_requirement_or_defining_the_symbol(self):
        data, _ = tiny_elf()
        with self.assertRaises(patch_libtorchsharp.ElfError):
            patch_libtorchsharp.patch(data, "GLIBCXX_3.4.99")
        data, _ = tiny_elf(defined=True)
        with self.assertRaises(patch_libtorchsharp.ElfError):
            patch_libtorchsharp.patch(data, "GLIBCXX_3.4.32")
        with self.assertRaises(patch_libtorchsharp.ElfError):
            patch_libtorchsharp.patch(bytearray(b"not an elf" + bytes(100)), "GLIBCXX_3.4.32")

    def test_the_real_library_when_the_package_is_restored(self):
        path = os.path.expanduser("~/.nuget/packages/torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so")
        if not os.path.exists(path):
            self.skipTest("TorchSharp 0.107.0 is not in the NuGet cache (tools/torchsharp/run.sh restores it)")
        with open(path, "rb") as f:
            data = bytearray(f.read())
        changed, messages = patch_libtorchsharp.patch(data, "GLIBCXX_3.4.32")
        self.assertTrue(changed)
        self.assertEqual([m for m in messages if m.startswith("made ")],
                         ["made _ZSt21ios_base_library_initv unversioned (was @GLIBCXX_3.4.32)"])


if __name__ == "__main__":
    unittest.main()
