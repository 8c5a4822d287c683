"""The manifest that generated fixture folders (bench/.soak-images, bench/.relevance-renditions) end with: a folder
whose manifest lists the images it should hold is complete and is left as it is."""
import os


def manifest_count(out_dir):
    """The images OUT_DIR/manifest.tsv lists (after its header line); -1 when there is none yet."""
    try:
        with open(os.path.join(out_dir, "manifest.tsv")) as f:
            return sum(1 for line in f if line.strip()) - 1
    except FileNotFoundError:
        return -1
