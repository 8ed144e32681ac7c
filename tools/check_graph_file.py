#!/usr/bin/python3
"""Decode a .graph file with the reference msgpack library and print its structure.

An independent check of docs/graph-format.md: the envelope, the CRC-32C of the content, and the body
(values, tapes, memory plan, session) are decoded without any of Graph's code.

    apt-get install -y python3-msgpack
    /usr/bin/python3 tools/check_graph_file.py model.graph

Exits with 1 if the file does not match the documented structure.
"""

import sys

import msgpack


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: slow, but obviously the standard one."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def require(condition: bool, message: str) -> None:
    if not condition:
        print(f"error: {message}", file=sys.stderr)
        sys.exit(1)


def describe_value(value: dict) -> str:
    text = f"{value['id']:4} {value['name']}: {value['dtype']}{value['shape']} {value['kind']}"
    if value["requires_grad"]:
        text += " requires_grad"
    if "op" in value:
        attributes = ", ".join(f"{name}={typed}" for name, typed in value["attributes"].items())
        text += f" = {value['op']}({', '.join(map(str, value['inputs']))})"
        text += f" {{{attributes}}}" if attributes else ""
    if "data" in value:
        text += f" data[{len(value['data'])} B]"
    return text


def main() -> None:
    require(len(sys.argv) == 2, "usage: check_graph_file.py FILE")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    try:
        envelope = msgpack.unpackb(data, raw=False)
    except (ValueError, msgpack.UnpackException) as e:
        require(False, f"the file is not one MessagePack map: {e}")

    require(envelope.get("format") == "graph", "the format is not 'graph'")
    major, minor = envelope["version"]
    content = envelope["content"]
    require(isinstance(content, bytes), "the content is not bin")
    require(crc32c(content) == envelope["crc32c"], f"CRC-32C {crc32c(content):#010x} != recorded {envelope['crc32c']:#010x}")
    print(f"format graph {major}.{minor}, content {len(content)} bytes, crc32c {envelope['crc32c']:#010x} (verified)")

    try:
        body = msgpack.unpackb(content, raw=False)
    except (ValueError, msgpack.UnpackException) as e:
        require(False, f"the content is not one MessagePack map: {e}")
    for key in ("values", "outputs", "retain_grad", "forward", "backward", "memory"):
        require(key in body, f"the body has no '{key}'")

    values = body["values"]
    print(f"values ({len(values)}):")
    for index, value in enumerate(values):
        require(value["id"] == index, f"value {index} has id {value['id']}")
        print("  " + describe_value(value))

    print(f"outputs: {body['outputs']}")
    print(f"retain_grad: {body['retain_grad']}")
    print(f"forward: {body['forward']}")
    for index, plan in enumerate(body["backward"]):
        print(f"backward {index}: root {plan['root']}, seed {plan['seed']}, tape {plan['tape']}")
        for target, gradient in plan["accumulations"]:
            print(f"  {values[target]['name']}.grad += {values[gradient]['name']}")

    memory = body["memory"]
    print(f"memory: arena {memory['arena_bytes']} B, live lower bound {memory['live_lower_bound_bytes']} B, "
          f"timeline {memory['timeline_length']} steps, tapes start at {memory['tape_starts']}")
    for value, offset, size, first, last, storage in memory["buffers"]:
        print(f"  [{offset:8}, {offset + size:8})  steps {first:3}..{last:<3}  storage {storage:3}  {values[value]['name']}")

    if "session" in body:
        optimizer = body["session"].get("optimizer", {"slots": [], "steps": []})
        print(f"session: {len(optimizer['slots'])} optimizer slots, {len(optimizer['steps'])} step counts")
        for parameter, slot, data in optimizer["slots"]:
            print(f"  {parameter}.{slot}: {len(data)} B")
        for parameter, step in optimizer["steps"]:
            print(f"  {parameter}: step {step}")


if __name__ == "__main__":
    main()
