"""export-gguf: a trained LoRA adapter converted to a GGUF LoRA adapter and read back with gguf's own reader."""

import json
import os

import numpy as np
import pytest
from brightrun_trainer.cli import main
from brightrun_trainer.errors import ConfigError
from brightrun_trainer.export_gguf import _permute_rows, base_facts, convert_adapter, gguf_metadata, lora_alpha
from brightrun_trainer.run import train
from conftest import REPO, addition_chat, base_config, make_run, require_part, write_jsonl
from gguf import GGUFReader
from safetensors.numpy import load_file

SMOLLM2_DIR = os.path.join(REPO, ".cache", "models", "smollm2-135m-instruct")
SMOLLM2_GGUF = os.path.join(REPO, ".cache", "models", "SmolLM2-135M-Instruct.Q4_1.gguf")


@pytest.fixture(scope="module")
def adapter(tiny_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    data = write_jsonl(tmp / "train.jsonl", addition_chat(16))
    run_dir = make_run(tmp, "run", base_config(tiny_model, data, max_steps=3, validation_split=0.0))
    assert train(run_dir) == 0
    return os.path.join(run_dir, "adapter")


def _field(reader, key):
    field = reader.fields[key]
    value = field.parts[field.data[0]]
    return bytes(value).decode() if field.types[0].name == "STRING" else value[0].item()


def test_the_adapter_reads_back_with_names_shapes_alpha_and_values(adapter, tmp_path, capsys):
    out = tmp_path / "adapter.gguf"
    assert main(["export-gguf", "--adapter", adapter, "--out", str(out)]) == 0
    [result] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{") and '"seq"' not in line]
    assert result["converter"] == "brightrun" and result["architecture"] == "qwen2" and result["gguf"] == str(out)

    reader = GGUFReader(str(out))
    assert (_field(reader, "general.type"), _field(reader, "adapter.type"), _field(reader, "general.architecture")) == ("adapter", "lora", "qwen2")
    with open(os.path.join(adapter, "adapter_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    assert _field(reader, "adapter.lora.alpha") == pytest.approx(config["lora_alpha"])
    # The header reader used on base models reads the same values as gguf's own reader.
    keys = ("general.architecture", "adapter.lora.alpha", "general.type")
    assert gguf_metadata(str(out), keys) == {key: pytest.approx(_field(reader, key)) if key == "adapter.lora.alpha" else _field(reader, key) for key in keys}

    weights = load_file(os.path.join(adapter, "adapter_model.safetensors"))
    tensors = {t.name: t for t in reader.tensors}
    assert len(tensors) == len(weights) == result["tensors"]
    hf_to_gguf = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output"}
    hf_to_gguf |= {"mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    for key, value in weights.items():
        module, part = key.removeprefix("base_model.model.model.layers.").rsplit(".lora_", 1)
        layer, hf_name = module.split(".", 1)
        name = f"blk.{layer}.{hf_to_gguf[hf_name]}.weight.lora_{part[0].lower()}"
        tensor = tensors[name]
        assert tuple(tensor.data.shape) == value.shape, name  # numpy order; GGUF stores the reverse (ne)
        assert tensor.tensor_type.name == "F32"
        np.testing.assert_array_equal(np.asarray(tensor.data), value)


def test_f16_output_keeps_the_values_to_half_precision(adapter, tmp_path):
    written = convert_adapter(adapter, str(tmp_path / "a16.gguf"), outtype="f16")
    reader = GGUFReader(written["gguf"])
    assert {t.tensor_type.name for t in reader.tensors} == {"F16"}
    weights = load_file(os.path.join(adapter, "adapter_model.safetensors"))
    a = weights["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"]
    [t] = [t for t in reader.tensors if t.name == "blk.0.attn_q.weight.lora_a"]
    np.testing.assert_allclose(np.asarray(t.data, dtype=np.float32), a, rtol=1e-3, atol=1e-4)


def test_refusals_say_why(adapter, tmp_path):
    with pytest.raises(ConfigError, match="not on this machine"):
        convert_adapter(adapter, str(tmp_path / "x.gguf"), base=str(tmp_path / "missing-model"))
    with pytest.raises(ConfigError, match="not a LoRA adapter folder"):
        convert_adapter(str(tmp_path), str(tmp_path / "x.gguf"))
    assert not (tmp_path / "x.gguf").exists()


def test_rslora_alpha_keeps_the_scale():
    assert lora_alpha({"r": 16, "lora_alpha": 32}) == 32
    assert lora_alpha({"r": 16, "lora_alpha": 32, "use_rslora": True}) / 16 == pytest.approx(32 / 4)


def _gguf_tensor(path, wanted):
    """One tensor's raw data and type from a GGUF file, skipping the metadata without parsing it: GGUFReader
    parses the whole tokenizer vocabulary first, which takes half a minute for SmolLM2's."""
    import struct

    from gguf import GGML_QUANT_SIZES, GGMLQuantizationType
    from gguf.gguf_reader import GGUFValueType

    sizes = {t: struct.calcsize(f) for t, f in {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}.items()}
    with open(path, "rb") as f:
        read = lambda fmt: struct.unpack("<" + fmt, f.read(struct.calcsize("<" + fmt)))[0]  # noqa: E731

        def skip(value_type):
            if value_type == GGUFValueType.STRING:
                f.seek(read("Q"), 1)
            elif value_type == GGUFValueType.ARRAY:
                item, count = read("I"), read("Q")
                if item in sizes:
                    f.seek(sizes[item] * count, 1)
                else:
                    for _ in range(count):
                        skip(item)
            else:
                f.seek(sizes[value_type], 1)

        assert f.read(4) == b"GGUF"
        _, tensor_count, kv_count = read("I"), read("Q"), read("Q")
        alignment = 32
        for _ in range(kv_count):
            key = f.read(read("Q")).decode()
            value_type = read("I")
            if key == "general.alignment":
                alignment = read("I")
            else:
                skip(value_type)
        infos = {}
        for _ in range(tensor_count):
            name = f.read(read("Q")).decode()
            dims = [read("Q") for _ in range(read("I"))]
            infos[name] = (dims, GGMLQuantizationType(read("I")), read("Q"))
        start = -(-f.tell() // alignment) * alignment
        dims, qtype, offset = infos[wanted]
        block, block_bytes = GGML_QUANT_SIZES[qtype]
        row_bytes = dims[0] // block * block_bytes
        f.seek(start + offset)
        rows = int(np.prod(dims[1:]))
        return np.frombuffer(f.read(row_bytes * rows), dtype=np.uint8).reshape(rows, row_bytes), qtype


def test_llama_q_rows_follow_llama_cpp_layout_of_the_real_smollm2_gguf():
    # The SmolLM2 GGUF was written by llama.cpp's converter (q/k rows permuted); the model folder next to it was
    # imported from that GGUF by transformers (rows restored). Permuting the folder's q_proj must give the GGUF's.
    present = os.path.isfile(SMOLLM2_GGUF) and os.path.isfile(os.path.join(SMOLLM2_DIR, "model.safetensors"))
    require_part(present, "SmolLM2-135M-Instruct (GGUF and folder) in .cache/models", "bash scripts/setup-model.sh")
    from gguf.quants import dequantize

    facts = base_facts(SMOLLM2_GGUF)
    assert (facts.arch, facts.blocks, facts.heads, facts.kv_heads) == ("llama", 30, 9, 3)
    folder = load_file(os.path.join(SMOLLM2_DIR, "model.safetensors"))
    for gguf_name, hf_name, heads in (
        ("blk.0.attn_q.weight", "model.layers.0.self_attn.q_proj.weight", 9),
        ("blk.0.attn_k.weight", "model.layers.0.self_attn.k_proj.weight", 3),
    ):
        data, qtype = _gguf_tensor(SMOLLM2_GGUF, gguf_name)
        from_gguf = dequantize(data, qtype).reshape(folder[hf_name].shape)
        np.testing.assert_allclose(_permute_rows(folder[hf_name], heads), from_gguf, atol=1e-6)
        assert not np.allclose(folder[hf_name], from_gguf, atol=1e-3)  # the permutation matters
