#!/usr/bin/env python3
"""png_check.py FILE.png: exits 0 when FILE is a PNG image that is not blank (tests/cli/report_test.cpp).
Standard library only: the IDAT stream is inflated and unfiltered row by row (RGB or RGBA, 8 bits), and
the image counts as not blank when it has at least 16 distinct colours and its non-background pixels
(those differing from the top-left pixel) are at least 1% of all."""
import struct
import sys
import zlib

data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG file")
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        if depth != 8 or colour not in (2, 6):
            sys.exit(f"unexpected PNG format: depth {depth}, colour type {colour}")
        bpp = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours, differing, first = set(), 0, None
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:  # every 4th row is enough to judge
        for x in range(0, stride, bpp):
            px = bytes(line[x:x + 3])
            if first is None:
                first = px
            colours.add(px)
            differing += px != first
    prev = line
total = ((height + 3) // 4) * width
share = differing / total
print(f"{width}x{height}, {len(colours)} colours, {100 * share:.1f}% non-background")
sys.exit(0 if len(colours) >= 16 and share >= 0.01 else 1)
