"""The collections that bench/relevance measures, built from the 1000 Flickr8k test images and their 5 captions each.

Every collection function returns (docs, queries):
  docs     {doc id: _source}; `image` (and `file`) is a path under the node's plugins.clip.images.path, the other fields are text
  queries  [(class, query text, relevant doc ids)], relevant ids a sorted tuple (two ids when every image is indexed
           twice, see `duplicates`)

Nothing here talks to a cluster or reads anything but captions.tsv; the same files give the same collection on every
run and every Python 3 (assignments come from sha256 and from string-seeded random.Random, both stable).

    import relevance_collections as rc
    docs, queries = rc.COLLECTIONS["stock"](duplicates=True)
    rc.TEXT_FIELDS["stock"], rc.CLASSES["stock"], rc.ALL_CLASSES["stock"], rc.images_dir(duplicates=True)

Doc ids are the image file names without ".jpg" in every collection, so that figures can be compared per image; the
second rendition of `duplicates` adds RENDITION_SUFFIX (`base_id` maps either back to the image).
"""
import hashlib
import os
import random
import re

import benchlib as b

# ---- near-duplicate renditions (made by relevance_renditions.py, which needs Pillow) ----

RENDITIONS_DIR = os.path.join(b.REPO_ROOT, "bench", ".relevance-renditions")
ORIGINAL_RENDITION = "224"  # a byte-for-byte copy of the dataset's 224 x 224 JPEG
SMALL_RENDITION = "160"  # resized to 160 x 160 (Lanczos) and saved again as JPEG quality 75
RENDITION_SUFFIX = "~160"


def images_dir(duplicates=False):
    """The folder for plugins.clip.images.path (`test-cluster/start --images`): the dataset's, or the renditions' that hold
    both copies (the node refuses a symbolic link leading out of that folder, so the originals are copied there)."""
    return RENDITIONS_DIR if duplicates else os.path.join(b.FLICKR, "images")


def base_id(doc_id):
    """The image a doc id shows: both renditions of one image map to the same id."""
    return doc_id[:-len(RENDITION_SUFFIX)] if doc_id.endswith(RENDITION_SUFFIX) else doc_id


def duplicate(docs, queries):
    """Every document twice: `id` pointing at ORIGINAL_RENDITION/<file>, `id~160` at SMALL_RENDITION/<file>, both with
    the same metadata; every query's relevant ids become both renditions."""
    out = {}
    for doc_id, source in docs.items():
        for rendition, new_id in ((ORIGINAL_RENDITION, doc_id), (SMALL_RENDITION, doc_id + RENDITION_SUFFIX)):
            copy = dict(source)
            copy["image"] = copy["file"] = f"{rendition}/{source['image']}"
            out[new_id] = copy
    dup_queries = [(cls, text, tuple(sorted(r for d in relevant for r in (d, d + RENDITION_SUFFIX))))
                   for cls, text, relevant in queries]
    return out, dup_queries


def caption_words(caption):
    """A caption as typed: Flickr8k's trailing " ." cut."""
    return caption.strip().rstrip(" .").strip()


def stem(image):
    return image.rsplit(".", 1)[0]


# ---- flickr: the collection of docs/benchmarks.md's first tables ----

# Invented: no picture can show them, and CLIP's vocabulary does not know them.
FLICKR_PERSONS = ["Orlena Vashcroft", "Teodric Plumwhistle", "Maribel Quonset", "Ansel Drovecki", "Yusra Tellambe",
                  "Corwin Haskeldt", "Ilse Marrowfield"]
FLICKR_PLACES = ["Quenmoor Landing", "Brindlemoor Park", "Vantreux Lake", "Calloway Spit", "Osterfell Common",
                 "Durnhollow Quay", "Saltmere Flats"]
FLICKR_BRANDS = ["Tarvix Gear", "Nimbleroot Outfitters", "Kestrova Sports", "Pellucid Threads", "Zanthe Cycles",
                 "Harrowgate Kit"]
FLICKR_ENTITY_TITLES = ([(n, f"photo by {n}") for n in FLICKR_PERSONS] + [(n, n) for n in FLICKR_PLACES]
                        + [(n, f"{n} team") for n in FLICKR_BRANDS])
FLICKR_IMAGES_PER_ENTITY = 5


def flickr(duplicates=False):
    """Images in sorted file-name order; query caption 1 as in captions.tsv (capitalized, trailing " ." cut).
      described    the 500 even positions: title = caption 0
      untitled     400 odd positions: no text
      named        the other 100 odd positions (every second odd one, the first 100): title names an invented person
                   ("photo by Orlena Vashcroft"), place ("Brindlemoor Park") or brand ("Tarvix Gear team"), each of the
                   20 names on 5 images; query = the name + caption 1
      named-lower  the same 100 images, the named query lower-cased as a whole ("orlena vashcroft a dog runs ...")
    ALL_CLASSES["flickr"] (one query per image) leaves named-lower out."""
    captions = b.flickr_captions()
    images = sorted(captions)
    docs, queries = {}, []
    odd = images[1::2]
    named = {image: FLICKR_ENTITY_TITLES[i // FLICKR_IMAGES_PER_ENTITY] for i, image in
             enumerate(odd[::2][:len(FLICKR_ENTITY_TITLES) * FLICKR_IMAGES_PER_ENTITY])}
    for position, image in enumerate(images):
        doc_id = stem(image)
        source = {"image": image, "file": image}
        query = caption_words(captions[image][1])
        if position % 2 == 0:
            source["title"] = captions[image][0]
            queries.append(("described", query, (doc_id,)))
        elif image in named:
            name, title = named[image]
            source["title"] = title
            queries.append(("named", f"{name} {query}", (doc_id,)))
            queries.append(("named-lower", f"{name} {query}".lower(), (doc_id,)))
        else:
            queries.append(("untitled", query, (doc_id,)))
        docs[doc_id] = source
    return duplicate(docs, queries) if duplicates else (docs, queries)


# ---- stock: shaped like a scraped stock-photo listing ----

STOCK_DESCRIBED = 250  # a quarter
STOCK_NAMES_IMAGES = 4
# New names, none of the flickr collection's: 21 names x 4 images = 84 named; the other 666 (two thirds) untitled.
STOCK_PERSONS = ["Hallvard Quistberg", "Ysolde Karnwhistle", "Demetz Ollerbay", "Fenwick Arrowsmere", "Tamsin Vorquell",
                 "Ludo Spraxton", "Marisol Hentricke"]
STOCK_PLACES = ["Kestlewick Harbour", "Owlmere Falls", "Grantaven Dunes", "Pellimore Ridge", "Sorrowick Bay",
                "Tindlecombe Green", "Varrowby Pier"]
STOCK_BRANDS = ["Quillon Outdoor", "Brisketta Apparel", "Marrowvane Bikes", "Zephyrine Swim", "Troxley Athletics",
                "Pomberly Toys", "Ferrugo Boards"]
STOCK_ENTITY_TITLES = ([(n, f"photo by {n}") for n in STOCK_PERSONS] + [(n, n) for n in STOCK_PLACES]
                       + [(n, f"{n} campaign") for n in STOCK_BRANDS])
STOCK_NAMED = len(STOCK_ENTITY_TITLES) * STOCK_NAMES_IMAGES
TAG_MIN, TAG_MAX = 3, 8
TAG_CAPTIONS = (2, 3, 4)  # never the title's (0) nor the query's (1)
STOP_WORDS = frozenset("""
a an the and or but of in on at to from with without by for into onto over under near next while as is are was were be
being been it its his her hers their them they he she him this that these those there here who whom which what where
when some any each other another one two three four five six seven eight nine ten several many few lot lots very
something someone somebody has have having do does doing up down off out through across along around behind front
top side back away together about against between beside just still also than then so such own same all both
upon""".split())


def shuffled(images, salt):
    """The images in an order fixed by sha256(salt:file), not by Python's hash or version."""
    return sorted(images, key=lambda image: hashlib.sha256(f"{salt}:{image}".encode()).hexdigest())


def tags(image, captions):
    """3-8 keyword tags of one image: the lower-case words of its captions 2-4 (letters only, stop words and words
    under 3 letters left out, each once, in order of first appearance), of which a count drawn from
    random.Random("stock-tags:<file>") between 3 and 8 keeps a random subset in that order (all of them when fewer)."""
    words = []
    for index in TAG_CAPTIONS:
        for word in re.findall(r"[a-z]+", captions[index].lower()):
            if len(word) >= 3 and word not in STOP_WORDS and word not in words:
                words.append(word)
    rng = random.Random(f"stock-tags:{image}")
    count = rng.randint(TAG_MIN, TAG_MAX)
    if len(words) <= count:
        return words
    return [words[i] for i in sorted(rng.sample(range(len(words)), count))]


def stock(duplicates=False):
    """The same 1000 images, classes assigned by sha256("stock:<file>") order: the first 250 described, the next 84
    named, the other 666 untitled. Every query is caption 1 typed in lower case (trailing " ." cut).
      untitled     666 images without any text
      described    250 images: title = caption 0, tags = `tags` (3-8 words of captions 2-4)
      named        84 images, 21 invented names on 4 each (in file-name order within the named ones): title = "photo by
                   Hallvard Quistberg" (person), "Kestlewick Harbour" (place) or "Quillon Outdoor campaign" (brand); the
                   first and third image of each name also carry `tags`; query = the name as written + caption 1 in
                   lower case ("Hallvard Quistberg a dog runs ...")
      named-lower  the same 84 images, query all lower case ("hallvard quistberg a dog runs ...")
    ALL_CLASSES["stock"] (one query per image, all typed in lower case) leaves the capitalized named out."""
    captions = b.flickr_captions()
    order = shuffled(sorted(captions), "stock")
    described = set(order[:STOCK_DESCRIBED])
    named = {image: (STOCK_ENTITY_TITLES[i // STOCK_NAMES_IMAGES], i % STOCK_NAMES_IMAGES % 2 == 0) for i, image in
             enumerate(sorted(order[STOCK_DESCRIBED:STOCK_DESCRIBED + STOCK_NAMED]))}
    docs, queries = {}, []
    for image in sorted(captions):
        doc_id = stem(image)
        source = {"image": image, "file": image}
        query = caption_words(captions[image][1]).lower()
        if image in described:
            source["title"] = caption_words(captions[image][0])
            source["tags"] = tags(image, captions[image])
            queries.append(("described", query, (doc_id,)))
        elif image in named:
            (name, title), tagged = named[image]
            source["title"] = title
            if tagged:
                source["tags"] = tags(image, captions[image])
            queries.append(("named", f"{name} {query}", (doc_id,)))
            queries.append(("named-lower", f"{name} {query}".lower(), (doc_id,)))
        else:
            queries.append(("untitled", query, (doc_id,)))
        docs[doc_id] = source
    return duplicate(docs, queries) if duplicates else (docs, queries)


COLLECTIONS = {"flickr": flickr, "stock": stock}
TEXT_FIELDS = {"flickr": ["title"], "stock": ["title", "tags"]}
# the order of the per-class rows
CLASSES = {"flickr": ["described", "untitled", "named", "named-lower"],
           "stock": ["untitled", "described", "named", "named-lower"]}
# the classes of the "all" row: every image once, named-lower's and named's queries being two spellings of one
ALL_CLASSES = {"flickr": ["described", "untitled", "named"], "stock": ["untitled", "described", "named-lower"]}
