"""The lesson file format: steps that carry the keys before them, hidden answers, and a
message naming the file and the line of any mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.engine.errors import PlaygroundError
from playground.lessons import load_lessons, parse_lesson

STEPPED = """title: Three steps
prompt: The cat sat on the
panel: next_token, tokenization
temperature: 0.5
hide: next_token
question: What comes next?

Guess first. Then reveal.

--- The answer

Every token gets a probability.
Even unlikely ones.

A second paragraph.

--- Another prompt
prompt: strawberry
panel: tokenization
hide: token_count
count: " strawberry"

How many tokens?
"""


def _write(folder: Path, text: str, name: str = "lesson.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_steps_keep_the_keys_before_them_but_not_the_hidden_answer(tmp_path):
    lesson = parse_lesson(_write(tmp_path, STEPPED))
    assert lesson.title == "Three steps" and len(lesson.steps) == 3 and lesson.quiz_steps == 2
    first, second, third = lesson.steps
    assert (first.hide, first.question, first.panels) == (
        "next_token",
        "What comes next?",
        ("next_token", "tokenization"),
    )
    assert first.text == "Guess first. Then reveal."
    assert (second.title, second.prompt, second.hide, second.question) == (
        "The answer",
        "The cat sat on the",
        None,
        "",
    )
    assert second.sampling == {"temperature": 0.5} and second.panels == first.panels
    assert second.text == (
        "Every token gets a probability. Even unlikely ones.\n\nA second paragraph."
    )
    assert (third.prompt, third.panel, third.hide, third.count) == (
        "strawberry",
        "tokenization",
        "token_count",
        " strawberry",  # quotes keep the space
    )
    assert [step.line for step in lesson.steps] == [1, 10, 17]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: T\nprompt: x\npanel: nowhere\n\nText.\n", "line 3: unknown panel 'nowhere'"),
        ("title: T\nprompt: x\n\nText.\n\n--- S\nhide: tokens\n\nT.\n", "line 7: unknown hide"),
        (
            "title: T\nprompt: x\n\nText.\n\n--- S\nhide: token_count\n\nT.\n",
            "line 7: hide: token_count needs a 'count: word' line",
        ),
        ("title: T\nprompt: x\nhide: cosine\n\nT.\n", "line 3: hide: cosine needs a 'compare"),
        ("title: T\nprompt: x\nhide: attention\n\nT.\n", "line 3: hide: attention needs a"),
        ("title: T\nprompt: x\n\nText.\n--- S\nquestion what?\n\nT.\n", "line 6: expected"),
        ("title: T\nprompt: x\n\nT.\n---\ntitle: again\n\nT.\n", "line 6: a step's title goes"),
        ("title: T\nprompt: x\ntemperature: warm\n\nT.\n", "line 3: temperature must be a"),
        ("title: T\nprompt: x\nchat: maybe\n\nT.\n", "line 3: chat must be on or off"),
        ("title: T\nprompt: x\npanel: a, b, c\n\nT.\n", "line 3: unknown panel 'a'"),
        (
            "title: T\nprompt: x\npanel: tokenization, next_token, attention\n\nT.\n",
            "line 3: a step shows one or two panels",
        ),
        ("title: T\nprompt: x\n\nT.\n--- S\npassages: 40\n\nT.\n", "line 6: passages must be"),
        ("title: T\n\nText.\n", "no 'prompt' line"),
    ],
)
def test_a_mistake_names_the_file_and_its_line(tmp_path, text, message):
    path = _write(tmp_path, text, "mine.txt")
    with pytest.raises(PlaygroundError, match=r"^mine\.txt") as caught:
        parse_lesson(path)
    assert message in str(caught.value)


def test_a_broken_step_is_listed_and_the_other_lessons_still_load(tmp_path):
    _write(tmp_path, STEPPED, "a.txt")
    _write(tmp_path, STEPPED.replace('count: " strawberry"\n', ""), "b.txt")
    lessons, problems = load_lessons([tmp_path])
    assert [lesson.path.name for lesson in lessons] == ["a.txt"]
    assert problems == ["b.txt, line 20: hide: token_count needs a 'count: word' line."]
