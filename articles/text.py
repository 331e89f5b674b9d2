"""Plain text as the newsroom keeps it: one kind of line ending, plain spaces, paragraphs.

Pure functions over strings. Browsers send a textarea's line breaks as CRLF,
agencies send whatever their systems write; everything is kept with LF only,
and a paragraph is a run of lines ended by a blank line, wherever the text
came from.
"""

import re

BOM = "\ufeff"

# Spaces that look like a space to an editor but not to a comparison.
ODD_SPACES = str.maketrans(
    {
        **dict.fromkeys(["\t", "\u00a0", "\u1680", "\u202f", "\u205f", "\u3000"], " "),
        **{chr(code): " " for code in range(0x2000, 0x200B)},
        **dict.fromkeys(["\v", "\f", "\x85", "\u2028"], "\n"),
        "\u2029": "\n\n",
        "\u200b": None,
        "\u2060": None,
        BOM: None,
    }
)
BLANK_LINE_RUNS = re.compile(r"\n{3,}")


def normalize_line_endings(text):
    """CRLF and lone CR as LF: what every stored text field holds."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize(text):
    """Copy as any agency's system would have sent it: LF lines, plain spaces, tidy blanks."""
    text = normalize_line_endings(text).translate(ODD_SPACES)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return BLANK_LINE_RUNS.sub("\n\n", text).strip()


def paragraphs(text):
    """Blank-line separated paragraphs; a single line break inside one is a wrap."""
    return [
        paragraph
        for block in normalize(text).split("\n\n")
        if (paragraph := " ".join(block.split()))
    ]
