"""Item names and descriptions shaped like real ones: short names of a few words, descriptions
from empty to the 500-character limit, most of them a sentence or two."""

import random

ADJECTIVES = """antique blue brass cast-iron ceramic chipped cordless folding framed glass green
handmade heavy large linen mahogany matching oak old painted pine portable red signed small
spare stainless striped vintage walnut waterproof white wooden woollen""".split()
THINGS = """armchair bicycle blender bookcase camera candlestick chess-set clock coffee-grinder
desk-lamp drill guitar hammock jacket kettle ladder lantern mirror mixer rug record-player
saucepan sewing-machine skis speaker stool suitcase table teapot tent toolbox typewriter vase
watch""".split()
PLACES = """attic basement garage hallway kitchen loft shed spare-room study workshop""".split()
WORDS = """a bit of wear on the base works fine bought in second owner scratches on one side
original box included needs a new cable keys included cleaned and oiled last year missing one
screw fits in the car boot kept dry since then the colour is faded slightly great condition
rarely used""".split()


def name(rng: random.Random) -> str:
    """2–5 words, 8–60 characters: "Vintage oak bookcase (garage) 3"."""
    words = [rng.choice(ADJECTIVES).capitalize()]
    if rng.random() < 0.4:
        words.append(rng.choice(ADJECTIVES))
    words.append(rng.choice(THINGS).replace("-", " "))
    if rng.random() < 0.3:
        words.append(f"({rng.choice(PLACES).replace('-', ' ')})")
    if rng.random() < 0.3:
        words.append(str(rng.randint(1, 99)))
    return " ".join(words)[:100]


def description(rng: random.Random) -> str:
    """Empty one time in ten; otherwise 1–6 sentences of 6–16 words, within 500 characters."""
    if rng.random() < 0.1:
        return ""
    sentences = []
    for _ in range(min(6, max(1, int(rng.expovariate(0.6)) + 1))):
        words = rng.choices(WORDS, k=rng.randint(6, 16))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)[:500].rstrip()
