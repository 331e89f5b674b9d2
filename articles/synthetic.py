"""Deterministic synthetic newsroom material: names, wire stories, whole archives.

For benchmarks and for generating a large archive: the same seed gives the same
text in every process, so figures are comparable between runs and machines.
"""

import html
import random

# Words agency copy is made of, so shingles and search behave as on real text.
VOCABULARY = """
the a of to in and on for with at by from as after over against during about before
minister ministry government president parliament army troops forces officials police
said says reported told announced confirmed denied warned ordered urged added stated
meeting talks agreement ceasefire border region city district capital village province
attack attacks shelling missile strike strikes defense security operation drills
front line positions heights territories liberated occupied civilians residents refugees
killed wounded injured damaged destroyed houses schools hospital buildings bridge
economy bank budget oil gas pipeline exports imports prices inflation growth trade
project construction road railway airport port energy water electricity harvest
international organisation delegation visit ambassador embassy statement summit
week month year today yesterday tuesday wednesday thursday friday monday weekend
morning evening night early late new former current several many two three four
important strategic military political economic social regional national local
election vote candidates campaign court judge trial law decree reform tax
company investment contract tender shares market currency manat dollar euro
festival museum exhibition concert film theatre football match championship
weather rain snow flood drought earthquake fire rescue emergency
health vaccine doctors patients clinic university students teachers research
cooperation partnership negotiations mediation peace settlement dialogue
""".split()

SYLLABLES = "ka lo mi ran tes vor zel pa dri nu sha gen bar mir tal ov ev an is ur".split()

TITLES = [
    "Minister of Defense",
    "Minister of Foreign Affairs",
    "Minister of Economy",
    "Minister of Health",
    "Mayor",
    "Governor",
    "Member of Parliament",
    "Spokesperson",
    "Ambassador",
    "Chief Executive",
    "Head of the Central Bank",
    "Prosecutor General",
]


def name(rng, words=2):
    """A pronounceable capitalised name, e.g. "Mirtal Kaovev"."""
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(words)
    )


def sentence(rng, mentions=()):
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(12, 24))]
    for mention in mentions:
        words.insert(rng.randrange(1, len(words)), mention)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraphs(rng, *, word_count, names=()):
    """About ``word_count`` words in paragraphs of two or three sentences.

    Each of ``names`` is mentioned once, spread through the text.
    """
    pending = list(names)
    result, total = [], 0
    while total < word_count:
        mentions = [pending.pop()] if pending and rng.random() < 0.5 else []
        text = " ".join(sentence(rng, mentions) for _ in range(rng.randint(2, 3)))
        result.append(text)
        total += len(text.split())
    if pending:
        result.append(sentence(rng, pending))
    return result


def wire_story(rng, *, agency, word_count=600, names=()):
    """Plain-text agency copy in the seed's format: a byline, then paragraphs."""
    body = "\n\n".join(paragraphs(rng, word_count=word_count, names=names))
    return f"By {agency}\n\n{body}\n"


def generator(seed):
    return random.Random(seed)


class StoryWriter:
    """Stories by the hundred thousand: text and reader HTML in one pass.

    Composes each body from a pool of pre-written sentences rather than word
    by word, so a million 400-word stories take a minute, not an hour; the
    HTML links the first mention of each entity exactly as rendering.py does.
    """

    POOL = 20_000

    def __init__(self, rng):
        self.rng = rng
        self.sentences = [sentence(rng) for _ in range(self.POOL)]

    def story(self, *, word_count, mentions):
        """(headline, summary, body, body_html) mentioning each (name, url) once."""
        rng, pool = self.rng, self.sentences
        pending = list(mentions)
        rng.shuffle(pending)
        text_paragraphs, html_paragraphs = [], []
        words = 0
        while words < word_count or pending:
            chosen = [pool[rng.randrange(self.POOL)] for _ in range(rng.randint(2, 3))]
            text_parts, html_parts = list(chosen), list(chosen)
            if pending and (rng.random() < 0.5 or words >= word_count):
                entity, url = pending.pop()
                lead = chosen[0][0].lower() + chosen[0][1:]
                text_parts[0] = f"{entity} {lead}"
                html_parts[0] = (
                    f'<a href="{html.escape(url)}" class="mention">{html.escape(entity)}</a> {lead}'
                )
            text_paragraphs.append(" ".join(text_parts))
            html_paragraphs.append(f"<p>{' '.join(html_parts)}</p>")
            words += sum(len(part.split()) for part in text_parts)
        headline = pool[rng.randrange(self.POOL)][:-1][:110]
        summary = pool[rng.randrange(self.POOL)]
        return headline, summary, "\n\n".join(text_paragraphs), "\n".join(html_paragraphs)
