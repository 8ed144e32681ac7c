#!/usr/bin/python3
"""Lets TorchSharp's libLibTorchSharp.so load against an older libstdc++ (Debian 12's has no GLIBCXX_3.4.32).

    /usr/bin/python3 tools/torchsharp/patch_libtorchsharp.py LIB.so [LIB.so ...] [--version GLIBCXX_3.4.32] [--check]

For each file, edits it in place:
  1. in .gnu.version_r, the Vernaux entry that requires VERSION from libstdc++.so.6 gets VER_FLG_WEAK (0x2) in
     vna_flags: ld.so then accepts a libstdc++ that lacks the version instead of refusing to load the library;
  2. in .gnu.version, every undefined .dynsym symbol bound to that version gets index 1 (VER_NDX_GLOBAL), so the
     symbol is looked up unversioned (ld.so would otherwise still ask for name@VERSION and not find it).
The only such symbol in TorchSharp 0.107.0 is _ZSt21ios_base_library_initv (std::ios_base_library_init(), a
no-op hook GCC 13 references to pull in libstdc++'s iostream initialisation): run.sh LD_PRELOADs a no-op
definition of it. Nothing else in the file changes (no sizes, no offsets). Idempotent: a patched file is left as
it is and reported as such. --check only reports (exit 1 if a file still needs the patch). Pure Python (struct).
"""
import argparse
import struct
import sys

SHT_DYNSYM = 11
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VER_FLG_WEAK = 0x2
VER_NDX_GLOBAL = 1
HIDDEN = 0x8000  # bit 15 of a .gnu.version entry; the index is the low 15 bits


class ElfError(Exception):
    pass


def cstr(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii", "replace")


def sections(data):
    """Section headers of a little-endian ELF64 file, as dicts, with their names."""
    if data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise ElfError("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shoff == 0 or shentsize != 64:
        raise ElfError("no section headers")
    out = []
    for i in range(shnum):
        name, type_, flags, addr, offset, size, link, info, align, entsize = struct.unpack_from(
            "<IIQQQQIIQQ", data, shoff + i * shentsize)
        out.append({"index": i, "name_off": name, "type": type_, "offset": offset, "size": size, "link": link,
                    "info": info, "entsize": entsize})
    strtab = out[shstrndx]
    for s in out:
        s["name"] = cstr(data, strtab["offset"] + s["name_off"])
    return out


def one(secs, type_, what):
    found = [s for s in secs if s["type"] == type_]
    if len(found) != 1:
        raise ElfError(f"expected one {what} section, found {len(found)}")
    return found[0]


def patch(data, version, library="libstdc++.so.6"):
    """Patches bytearray data in place; returns (changed, messages)."""
    secs = sections(data)
    dynsym = one(secs, SHT_DYNSYM, ".dynsym")
    versym = one(secs, SHT_GNU_VERSYM, ".gnu.version")
    verneed = one(secs, SHT_GNU_VERNEED, ".gnu.version_r")
    dynstr = secs[dynsym["link"]]
    if secs[verneed["link"]]["index"] != dynstr["index"]:
        raise ElfError(".gnu.version_r and .dynsym use different string tables")
    strings = dynstr["offset"]
    messages = []
    changed = False

    # .gnu.version_r: Verneed {vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32}, each followed
    # (at vn_aux) by vn_cnt Vernaux {vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32}.
    index = None
    pos = verneed["offset"]
    for _ in range(verneed["info"]):  # sh_info = number of Verneed entries
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, pos)
        file = cstr(data, strings + vn_file)
        aux = pos + vn_aux
        for _ in range(vn_cnt):
            vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
            if file == library and cstr(data, strings + vna_name) == version:
                index = vna_other
                if vna_flags & VER_FLG_WEAK:
                    messages.append(f"{version} from {file} (version index {index}) is already weak")
                else:
                    struct.pack_into("<H", data, aux + 4, vna_flags | VER_FLG_WEAK)
                    messages.append(f"marked {version} from {file} (version index {index}) weak")
                    changed = True
            if vna_next == 0:
                break
            aux += vna_next
        if vn_next == 0:
            break
        pos += vn_next
    if index is None:
        raise ElfError(f"no requirement of {version} from {library} in .gnu.version_r")

    # .dynsym: Elf64_Sym {st_name u32, st_info u8, st_other u8, st_shndx u16, st_value u64, st_size u64};
    # .gnu.version: one u16 per .dynsym entry.
    count = dynsym["size"] // 24
    if versym["size"] // 2 != count:
        raise ElfError(".gnu.version and .dynsym differ in length")
    for i in range(count):
        st_name, st_info, st_other, st_shndx = struct.unpack_from("<IBBH", data, dynsym["offset"] + 24 * i)
        at = versym["offset"] + 2 * i
        ver, = struct.unpack_from("<H", data, at)
        if ver & ~HIDDEN == index:
            name = cstr(data, strings + st_name)
            if st_shndx != 0:
                raise ElfError(f"{name} is defined here with version {version}; refusing to touch it")
            struct.pack_into("<H", data, at, VER_NDX_GLOBAL)
            messages.append(f"made {name} unversioned (was @{version})")
            changed = True
    if not changed:
        messages.append("already patched")
    return changed, messages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--version", default="GLIBCXX_3.4.32", help="the version requirement to relax")
    ap.add_argument("--check", action="store_true", help="report only; exit 1 if a file still needs the patch")
    args = ap.parse_args(argv)
    status = 0
    for path in args.files:
        with open(path, "rb") as f:
            data = bytearray(f.read())
        try:
            changed, messages = patch(data, args.version)
        except ElfError as e:
            print(f"patch_libtorchsharp.py: {path}: {e}", file=sys.stderr)
            return 1
        if args.check:
            print(f"{path}: {'needs the patch' if changed else 'patched'}")
            status |= int(changed)
            continue
        if changed:
            with open(path, "r+b") as f:  # same size: overwrite in place (keeps the inode, mode and hard links)
                f.write(data)
        for m in messages:
            print(f"{path}: {m}")
    return status


if __name__ == "__main__":
    sys.exit(main())
