"""The tiny test model's tokenizer trains on any JSONL corpus, including lines the validator rejects."""

from brightrun_trainer.testing.tiny_model import SIZES, build_tokenizer


def test_tokenizer_trains_on_lone_surrogates_and_invalid_lines(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"messages": [{"role": "user", "content": "Which kettle? \\ud83d"}]}\n{"messages": [}\n{"text": "plain words"}\n',
        encoding="utf-8",
    )
    tokenizer = build_tokenizer(SIZES["tiny"][5], [str(corpus)])
    ids = tokenizer("Which kettle? plain words")["input_ids"]
    assert tokenizer.decode(ids) == "Which kettle? plain words"
