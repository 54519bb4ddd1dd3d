"""The model card travels with the adapter: it names datasets and local base models without the trainer's paths."""

import re

import yaml
from brightrun_trainer.config import parse_config
from brightrun_trainer.modelcard import model_card
from conftest import addition_chat, base_config, write_jsonl

SUMMARY = {"steps": 10, "final_loss": 0.5, "total_tokens": 1000, "tokens_per_s": 100.0}


def card_for(tmp_path, base_model, **overrides):
    data_dir = tmp_path / "home" / "alice" / "secret-project"
    data_dir.mkdir(parents=True)
    train = write_jsonl(data_dir / "support-chats.jsonl", addition_chat(4))
    if overrides.pop("with_validation", False):
        overrides["validation_file"] = write_jsonl(data_dir / "held-out.jsonl", addition_chat(2))
    cfg = parse_config(base_config(base_model, train, **overrides), str(tmp_path))
    return model_card(cfg, cfg.base_model, ["q_proj"], 4, 1, 100, SUMMARY, 0.25)


def front_matter(card):
    return yaml.safe_load(re.match(r"^---\n(.*?)\n---\n", card, re.S).group(1))


def test_datasets_are_named_by_file_name_only(tmp_path):
    card = card_for(tmp_path, "Qwen/Qwen2.5-0.5B-Instruct", with_validation=True)
    assert "- Training file: `support-chats.jsonl` (4 examples" in card
    assert "- Evaluation: `held-out.jsonl` (1 examples)" in card
    assert str(tmp_path) not in card and "alice" not in card


def test_a_hub_model_is_named_by_its_id(tmp_path):
    card = card_for(tmp_path, "Qwen/Qwen2.5-0.5B-Instruct")
    assert front_matter(card)["base_model"] == "Qwen/Qwen2.5-0.5B-Instruct"
    assert 'from_pretrained("Qwen/Qwen2.5-0.5B-Instruct")' in card
    assert "- Evaluation: 10% of the training file" in card


def test_a_local_base_model_is_named_by_its_folder_and_kept_out_of_the_hub_metadata(tmp_path):
    model_dir = tmp_path / "home" / "alice" / "models" / "llama-3-8b-finetuned"
    model_dir.mkdir(parents=True)
    card = card_for(tmp_path, str(model_dir))
    assert str(tmp_path) not in card and "alice" not in card
    meta = front_matter(card)
    assert "base_model" not in meta and meta["library_name"] == "peft"
    assert "A LoRA adapter for `llama-3-8b-finetuned` (a local model folder)" in card
    assert 'from_pretrained("path/to/llama-3-8b-finetuned")' in card
