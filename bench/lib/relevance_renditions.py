"""Near-duplicate renditions for bench/relevance --duplicates: every Flickr8k test image twice, as a scraped listing
holds most pictures (a small and a large rendition of one photo).

usage: python3 relevance_renditions.py SOURCE_DIR OUT_DIR

Needs Pillow (Debian: apt-get install python3-pil). Writes OUT_DIR/224/<file> (the source JPEG's bytes, unchanged),
OUT_DIR/160/<file> (resized to 160 x 160 with Lanczos and saved again as JPEG quality 75: a different decode, a
different resize, different compression artefacts) and OUT_DIR/manifest.tsv; a folder whose manifest lists as many
images as SOURCE_DIR holds is left as it is. Both renditions live in one folder because the node reads images only
under plugins.clip.images.path and refuses a symbolic link that leads out of it.
"""
import os
import shutil
import sys

from fixture_manifest import manifest_count
from PIL import Image

SMALL_SIDE = 160
QUALITY = 75


def make(source_dir, out_dir, sources):
    for folder in ("224", str(SMALL_SIDE)):
        os.makedirs(os.path.join(out_dir, folder), exist_ok=True)
    rows = []
    for name in sources:
        source = os.path.join(source_dir, name)
        shutil.copyfile(source, os.path.join(out_dir, "224", name))
        small = os.path.join(out_dir, str(SMALL_SIDE), name)
        with Image.open(source) as image:
            image.convert("RGB").resize((SMALL_SIDE, SMALL_SIDE), Image.LANCZOS).save(small + ".part", "JPEG",
                                                                                       quality=QUALITY)
        os.replace(small + ".part", small)
        rows.append(f"{name}\t{os.path.getsize(source)}\t{os.path.getsize(small)}")
    # written last: a folder without it (an interrupted run) is made again
    with open(os.path.join(out_dir, "manifest.tsv"), "w") as f:
        f.write(f"file\tbytes 224\tbytes {SMALL_SIDE}\n" + "\n".join(rows) + "\n")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    source_dir, out_dir = sys.argv[1], sys.argv[2]
    sources = sorted(f for f in os.listdir(source_dir) if f.endswith(".jpg"))
    if manifest_count(out_dir) >= len(sources):
        return
    make(source_dir, out_dir, sources)


if __name__ == "__main__":
    main()
