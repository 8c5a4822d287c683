"""Large-photo fixtures for bench/soak: Flickr8k test images (224 x 224) upscaled to 12-24 MP JPEGs.

usage: python3 soak_fixtures.py SOURCE_DIR OUT_DIR COUNT

Needs Pillow (Debian: apt-get install python3-pil). Writes OUT_DIR/big-NN.jpg and OUT_DIR/manifest.tsv (file, source
image, width, height, bytes); a folder whose manifest already lists COUNT files is left as it is. Film-grain noise is
added after the upscale: a smooth upscaled image compresses to a fraction of what a real photo of that size weighs, and
the node reads, holds and decodes the encoded bytes too.
"""
import os
import sys

from fixture_manifest import manifest_count
from PIL import Image, ImageChops

# Camera-like sizes from 12 to 24 MP, landscape and portrait, so that decoded buffers vary in size.
SIZES = [(4000, 3000), (4240, 2832), (3000, 4000), (4608, 3456), (5184, 3456), (3456, 5184),
         (5472, 3648), (5616, 3744), (6000, 4000), (4000, 6000)]
GRAIN_SIGMA = 18
QUALITY = 90


def make(source_dir, out_dir, count):
    sources = sorted(f for f in os.listdir(source_dir) if f.endswith(".jpg"))
    if len(sources) < count:
        raise SystemExit(f"{source_dir} has {len(sources)} images, fewer than {count}")
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for i in range(count):
        # every 40th image: spread over the set rather than the first few look-alikes
        source = sources[(i * 40) % len(sources)]
        width, height = SIZES[i % len(SIZES)]
        with Image.open(os.path.join(source_dir, source)) as small:
            big = small.convert("RGB").resize((width, height), Image.BICUBIC)
        grain = Image.effect_noise((width, height), GRAIN_SIGMA).convert("RGB")
        big = ImageChops.add(big, grain, 1.0, -128)
        name = f"big-{i:02d}.jpg"
        path = os.path.join(out_dir, name)
        big.save(path + ".part", "JPEG", quality=QUALITY)
        os.replace(path + ".part", path)
        rows.append(f"{name}\t{source}\t{width}\t{height}\t{os.path.getsize(path)}")
        print(f"  {name}: {width}x{height} ({width * height / 1e6:.1f} MP) from {source}, "
              f"{os.path.getsize(path) / 1e6:.1f} MB", flush=True)
    # written last: a folder without it (an interrupted run) is made again
    with open(os.path.join(out_dir, "manifest.tsv"), "w") as f:
        f.write("file\tsource\twidth\theight\tbytes\n" + "\n".join(rows) + "\n")


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    source_dir, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if manifest_count(out_dir) >= count:
        return
    make(source_dir, out_dir, count)


if __name__ == "__main__":
    main()
