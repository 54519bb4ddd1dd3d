"""Content-part lists read the same in every format, as the validator reads them: the text parts are the text,
image parts are dropped (a text-only model is trained on the text only), malformed parts are a data error."""

import pytest
from brightrun_trainer.data.formats import read_dataset
from brightrun_trainer.errors import DataError
from conftest import write_jsonl

IMAGE = {"type": "image_url", "image_url": {"url": "https://example.com/lamp.png"}}


def parts(text):
    return [{"type": "text", "text": text}, IMAGE]


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"messages": [{"role": "user", "content": parts("Q")}, {"role": "assistant", "content": parts("A")}]}, ["Q", "A"]),
        ({"conversations": [{"from": "human", "value": parts("Q")}, {"from": "gpt", "value": parts("A")}]}, ["Q", "A"]),
        ({"instruction": parts("Q"), "output": parts("A")}, ["Q", "A"]),
        ({"prompt": parts("Q"), "completion": parts("A")}, ["Q", "A"]),
    ],
)
def test_every_chat_format_takes_content_parts_and_drops_images(tmp_path, row, expected):
    path = write_jsonl(tmp_path / "data.jsonl", [row])
    _, examples = read_dataset(str(path))
    assert [m["content"] for m in examples[0].messages] == expected


def test_plain_text_takes_content_parts(tmp_path):
    path = write_jsonl(tmp_path / "data.jsonl", [{"text": [IMAGE, {"type": "text", "text": "Once upon a time"}]}])
    _, examples = read_dataset(str(path))
    assert examples[0].text == "Once upon a time"


@pytest.mark.parametrize(
    "row",
    [
        {"prompt": [{"type": "audio", "audio": "x"}], "completion": "A"},
        {"messages": [{"role": "user", "content": [{"type": "text"}]}, {"role": "assistant", "content": "A"}]},
        {"instruction": 3, "output": "A"},
    ],
)
def test_malformed_parts_are_a_data_error_at_their_line(tmp_path, row):
    path = write_jsonl(tmp_path / "data.jsonl", [row])
    with pytest.raises(DataError) as error:
        read_dataset(str(path))
    assert error.value.line == 1


def test_an_unpaired_surrogate_is_a_data_error_at_its_line_and_a_pair_is_fine(tmp_path):
    ok = '{"messages": [{"role": "user", "content": "smile \\ud83d\\ude00"}, {"role": "assistant", "content": "\\\\ud800 is text"}]}'
    bad = '{"messages": [{"role": "user", "content": "half \\ud800"}, {"role": "assistant", "content": "a"}]}'
    path = write_jsonl(tmp_path / "data.jsonl", [ok, bad])
    with pytest.raises(DataError, match="unpaired UTF-16 surrogate") as error:
        read_dataset(str(path))
    assert error.value.line == 2
    _, examples = read_dataset(write_jsonl(tmp_path / "ok.jsonl", [ok]))
    assert examples[0].messages[0]["content"] == "smile \U0001f600"
