#!/usr/bin/env python3
"""check_zip.py ARCHIVE [--epub] [--entries N] [--epoch SECONDS] [--descriptor NAME]...

The layout checks of a dconv zip archive that `zip -T` and `unzip -t` do not
make, read from the bytes (not through a zip library, so a library's
leniency cannot hide a fault), then Python's zipfile reads every entry and
checks its CRC:
  - entries are contiguous from offset 0: each local header starts where the
    previous entry's data ended, and the central directory right after;
  - every local header agrees with its central directory record (name,
    method, flags, CRC, sizes), has no extra field and no data descriptor
    (bit 3): the sizes were known when the header was written;
  - --descriptor NAME: except entry NAME (an entry given in pieces, past
    16 MiB), which must have bit 3, zeros for CRC and sizes in its local
    header, and after its data a signed data descriptor holding the
    central directory's CRC and sizes;
  - the DOS date and time are SOURCE_DATE_EPOCH's (UTC, 2-second steps);
  - --epub: the first entry is `mimetype`, stored, "application/epub+zip";
  - --entries N: the archive has N entries (zip64 end records when N > 65535).
Prints one line per failed check and exits 1 if any failed.
"""
import argparse
import os
import struct
import sys
import time
import zipfile

fails = []


def bad(msg):
    fails.append(msg)
    print("check_zip: " + msg, file=sys.stderr)


def central_directory(data):
    """(entries, offset of the central directory, its size) from the end
    records, following the zip64 locator when there is one."""
    eocd = data.rfind(b"PK\x05\x06")
    if eocd < 0:
        raise ValueError("no end of central directory record")
    (_, _, _, _, count, size, offset, _) = struct.unpack_from("<IHHHHIIH", data, eocd)
    loc = eocd - 20
    if loc >= 0 and data[loc:loc + 4] == b"PK\x06\x07":
        (_, _, z64, _) = struct.unpack_from("<IIQI", data, loc)
        if data[z64:z64 + 4] != b"PK\x06\x06":
            raise ValueError("zip64 locator points at no zip64 end record")
        (_, _, _, _, _, _, _, count, size, offset) = struct.unpack_from(
            "<IQHHIIQQQQ", data, z64)
    elif count == 0xFFFF:
        raise ValueError("entry count 0xFFFF without zip64 end records")
    return count, offset, size


def dos_datetime(epoch):
    tm = time.gmtime(max(epoch, 315532800))  # clamped to 1980-01-01
    return (((tm.tm_year - 1980) << 9 | tm.tm_mon << 5 | tm.tm_mday),
            (tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec // 2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("archive")
    ap.add_argument("--epub", action="store_true")
    ap.add_argument("--entries", type=int)
    ap.add_argument("--descriptor", action="append", default=[])
    ap.add_argument("--epoch", type=int,
                    default=int(os.environ.get("SOURCE_DATE_EPOCH", "-1")))
    a = ap.parse_args()
    data = open(a.archive, "rb").read()
    count, cd_off, cd_size = central_directory(data)
    if a.entries is not None and count != a.entries:
        bad("%d entries, expected %d" % (count, a.entries))
    want_date = dos_datetime(a.epoch) if a.epoch >= 0 else None
    pos = 0  # where the next local header must start
    p = cd_off
    for i in range(count):
        if data[p:p + 4] != b"PK\x01\x02":
            bad("central record %d: bad signature" % i)
            break
        (_, _, _, flags, method, mtime, mdate, crc, csize, usize, nlen, xlen,
         clen, _, _, _, lho) = struct.unpack_from("<IHHHHHHIIIHHHHHII", data, p)
        name = data[p + 46:p + 46 + nlen]
        cx = data[p + 46 + nlen:p + 46 + nlen + xlen]
        p += 46 + nlen + xlen + clen
        if lho == 0xFFFFFFFF and len(cx) >= 12:  # zip64: offset in the extra
            lho = struct.unpack_from("<Q", cx, 4)[0]
        what = "entry %d (%s)" % (i, name.decode("utf-8", "replace"))
        if lho != pos:
            bad("%s: local header at %d, expected %d (gap or overlap)" % (what, lho, pos))
        if data[lho:lho + 4] != b"PK\x03\x04":
            bad("%s: no local header" % what)
            break
        (_, _, lflags, lmethod, lmtime, lmdate, lcrc, lcsize, lusize, lnlen,
         lxlen) = struct.unpack_from("<IHHHHHIIIHH", data, lho)
        later = name.decode("utf-8", "replace") in a.descriptor
        if later and not flags & 8:
            bad("%s: no data descriptor (bit 3)" % what)
        want = (flags, method, 0, 0, 0) if later else (flags, method, crc, csize, usize)
        if (lflags, lmethod, lcrc, lcsize, lusize) != want:
            bad("%s: local header (flags %#x, method %d, crc %08x, sizes %d/%d) "
                "differs from the central directory (%#x, %d, %08x, %d/%d)" %
                (what, lflags, lmethod, lcrc, lcsize, lusize, flags, method, crc,
                 csize, usize))
        if data[lho + 30:lho + 30 + lnlen] != name:
            bad("%s: local header names %r" % (what, data[lho + 30:lho + 30 + lnlen]))
        if lxlen:
            bad("%s: local extra field of %d bytes" % (what, lxlen))
        if flags & 8 and not later:
            bad("%s: data descriptor (bit 3)" % what)
        if method not in (0, 8):
            bad("%s: method %d" % (what, method))
        if method == 0 and csize != usize:
            bad("%s: stored with sizes %d/%d" % (what, csize, usize))
        if want_date and ((mdate, mtime) != want_date or (lmdate, lmtime) != want_date):
            bad("%s: DOS date/time %#x/%#x, expected %#x/%#x" %
                (what, mdate, mtime, want_date[0], want_date[1]))
        pos = lho + 30 + lnlen + lxlen + csize
        if later:
            desc = struct.unpack_from("<IIII", data, pos)
            if desc != (0x08074b50, crc, csize, usize):
                bad("%s: data descriptor %r, expected crc %08x, sizes %d/%d" %
                    (what, desc, crc, csize, usize))
            pos += 16
        if a.epub and i == 0:
            body = data[lho + 30 + lnlen + lxlen:pos]
            if name != b"mimetype" or method != 0 or lho != 0 or \
                    body != b"application/epub+zip":
                bad("epub: first entry is %r (method %d, at %d, %r), expected "
                    "mimetype stored at 0 holding application/epub+zip" %
                    (name, method, lho, body[:40]))
    if pos != cd_off:
        bad("central directory at %d, expected %d" % (cd_off, pos))
    if p != cd_off + cd_size:
        bad("central directory is %d bytes, its records %d" % (cd_size, p - cd_off))
    with zipfile.ZipFile(a.archive) as z:
        broken = z.testzip()
        if broken is not None:
            bad("zipfile: CRC mismatch in %s" % broken)
        if len(z.infolist()) != count:
            bad("zipfile reads %d entries, end record says %d" % (len(z.infolist()), count))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
