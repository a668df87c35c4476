"""Live parity with transformers on freshly made random GPT-2 configs (skipped unless torch and transformers
are installed; the default run compares against the committed fixtures instead: test_hf_checkpoint.py)."""

import numpy as np
import pytest

import lmdemo

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.mark.parametrize("n_layer, n_head, n_embd, n_inner, tied", [(1, 2, 16, None, True), (3, 4, 24, 40, False)])
def test_random_gpt2_log_probs_equal_transformers(tmp_path, n_layer, n_head, n_embd, n_inner, tied):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(["the cat sat on the mat, naïve café"] * 20, trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    eos = tok.token_to_id("<|endoftext|>")
    torch.manual_seed(0)
    config = transformers.GPT2Config(vocab_size=tok.get_vocab_size(), n_positions=32, n_embd=n_embd, n_layer=n_layer,
                                     n_head=n_head, n_inner=n_inner, tie_word_embeddings=tied, initializer_range=0.2,
                                     resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=eos,
                                     eos_token_id=eos)
    model = transformers.GPT2LMHeadModel(config).eval()
    model.save_pretrained(tmp_path, safe_serialization=True)
    tok.save(str(tmp_path / "tokenizer.json"))
    text = "the cat sat on the mat, naïve café " * 3  # longer than 32 tokens: rolling windows in lmdemo
    ids = tok.encode(text).ids[:31]
    with torch.no_grad():
        logits = model(torch.tensor([[eos] + ids])).logits[0, :-1]
    expected = torch.log_softmax(logits.double(), -1)[torch.arange(len(ids)), torch.tensor(ids)].numpy()
    lm = lmdemo.load_model(str(tmp_path))
    assert lm.tokenizer.encode(text)[:31] == ids
    np.testing.assert_allclose(lm.log_probs(tok.decode(ids)), expected, atol=1e-4)
