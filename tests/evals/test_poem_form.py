import json

import pytest

from evals import harness
from evals.scoring.poem_form import asked_form, poem_form_scores, statistics

QUATRAIN = "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"
QUATRAIN_7 = "朝辭白帝彩雲間，千里江陵一日還。兩岸猿聲啼不住，輕舟已過萬重山。"


def test_scores_by_hand():
    predictions = [QUATRAIN,                      # right
                   "床前明月光，疑是地上霜。",      # 2 of 4 lines
                   QUATRAIN.replace("光", "光光"),  # a line too wide
                   QUATRAIN.replace("，", "。")]    # right shape, two wrong marks
    r = poem_form_scores(predictions, ["五言絕句", "五言绝句", QUATRAIN, "五言絕句"])
    assert r["poems"] == 4 and r["per_poem"] == [1.0, 0.0, 0.0, 1.0]
    assert r["form_accuracy"] == 0.5
    assert r["line_count_accuracy"] == 0.75
    assert r["width_accuracy"] == 0.75
    assert r["punctuation_accuracy"] == (4 + 2 + 4 + 2) / 16


def test_the_form_is_read_off_a_reference_poem():
    assert asked_form(QUATRAIN_7, 0) == "七言絕句"
    assert asked_form("七言律诗", 0) == "七言律詩"
    with pytest.raises(ValueError, match=r"references\[3\] is neither a form name"):
        asked_form("床前明月光。", 3)
    r = poem_form_scores([QUATRAIN, QUATRAIN_7], [QUATRAIN_7, QUATRAIN_7])
    assert r["form_accuracy"] == 0.5 and r["width_accuracy"] == 0.5


def test_statistics_refusals():
    with pytest.raises(ValueError, match="predictions has 1 poems but references has 2"):
        statistics([QUATRAIN], ["五言絕句", "五言絕句"])
    with pytest.raises(ValueError, match="predictions is empty"):
        statistics([], [])
    with pytest.raises(TypeError, match="lists of strings"):
        statistics(QUATRAIN, "五言絕句")
    with pytest.raises(TypeError, match=r"predictions\[0\] must be a str"):
        statistics([None], ["五言絕句"])


def test_confidence_interval_is_seeded_and_brackets_the_score():
    predictions = [QUATRAIN, "床前明月光，"] * 10
    a = poem_form_scores(predictions, ["五言絕句"] * 20, confidence_interval=True, n_resamples=200, seed=1)
    b = poem_form_scores(predictions, ["五言絕句"] * 20, confidence_interval=True, n_resamples=200, seed=1)
    assert a == b
    assert a["form_accuracy_ci_low"] <= 0.5 <= a["form_accuracy_ci_high"]


def test_harness_scores_a_predictions_column(tmp_path):
    data = tmp_path / "poems.tsv"
    data.write_text("title\tform\tprediction\n靜夜思\t五言絕句\t" + QUATRAIN + "\n早發白帝城\t七言绝句\t"
                    + QUATRAIN + "\n", encoding="utf-8")
    suite = tmp_path / "suite.yaml"
    suite.write_text(f"""name: poems
runs:
  - name: form
    task: poem
    dataset: {data}
    predictions_column: prediction
    metrics: [poem_form]
""", encoding="utf-8")
    document = harness.run_suite(str(suite), str(tmp_path / "out"), db=str(tmp_path / "runs.sqlite"))
    run = document["runs"][0]
    assert run["status"] == "ok", run["error"]
    scores = {s["key"]: s["value"] for s in run["scores"]}
    assert scores["form_accuracy"] == 0.5 and scores["width_accuracy"] == 0.5
    assert [e["reference"] for e in run["examples"]] == ["七言絕句"]
    assert json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))["runs"][0]["status"] == "ok"


def test_harness_writes_poems_with_a_model_in_the_forms_asked(tmp_path):
    import keras

    import lmdemo

    tok = lmdemo.CharTokenizer.train("\n五言絕句七律詩《》" + QUATRAIN + QUATRAIN_7)
    keras.utils.set_random_seed(0)
    poet = lmdemo.TransformerLM.create(tok, lmdemo.TransformerConfig(max_length=64, num_layers=1, num_heads=2,
                                                                     d_model=16))
    poet.task = "poem"
    data = tmp_path / "titles.tsv"
    data.write_text("title\tpoem\n靜夜思\t" + QUATRAIN + "\n早發白帝城\t" + QUATRAIN_7 + "\n", encoding="utf-8")
    suite = tmp_path / "suite.yaml"
    suite.write_text(json.dumps({"name": "p", "runs": [{"name": "poet", "task": "poem", "dataset": str(data),
                                                        "model": "toy-poet", "metrics": ["poem_form"], "seed": 3}]}))
    run = harness.run_suite(str(suite), str(tmp_path / "out"), models={"toy-poet": poet},
                            db=str(tmp_path / "runs.sqlite"))["runs"][0]
    assert run["status"] == "ok", run["error"]
    assert {s["key"]: s["value"] for s in run["scores"]}["form_accuracy"] == 1.0  # constrained decoding
    assert [r["reference"] for r in run["rows"]] == ["五言絕句", "七言絕句"]
    expected = lmdemo.pipeline("poem", model=poet)("靜夜思", form="五言絕句", seed=3)["poem"]
    assert run["rows"][0]["prediction"] == expected


def test_the_chinese_suite_loads():
    import os

    from evals.suite import load_suite

    suite = load_suite(os.path.join(os.path.dirname(harness.__file__), "suites", "chinese.yaml"))
    assert [(r.task, r.model, r.limit) for r in suite.runs] == [("poem", "tang-poems-char", 100),
                                                                ("translation", "en-zh-translation", 200)]
    assert suite.runs[0].column("source_column", ["title", "poem"]) == "title"
    assert suite.runs[0].column("reference_column", ["title", "poem"]) == "poem"
