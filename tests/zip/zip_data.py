"""zip_data.py - the contents zip_write.c generates, written again in
Python for writer.sh's checks (so a check never reads back what it tests)."""


def noise(n, x):
    """n high bytes of a 32-bit LCG seeded with x (zip_write: gen_noise)."""
    out = bytearray()
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


def text(n):
    """"line N\\n" for N = 0, 1, ... cut to n bytes (zip_write: gen_text)."""
    out, i = bytearray(), 0
    while len(out) < n:
        out += b"line %d\n" % i
        i += 1
    return bytes(out[:n])
