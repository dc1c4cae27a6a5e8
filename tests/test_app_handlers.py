"""The app's plain functions: builder edits, the spec->control table, previews, text diffs, handlers."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import gradio as gr
import numpy as np
import pytest
from PIL import Image

from app import builder, handlers
from app.codegen import python_code
from app.limits import LOCAL, SPACE, current
from app.previews import caption, encode_preview, preview_format
from app.catalogue import catalogue_choices, catalogue_rows
from app.textdiff import diff_html, diff_ops, text_table
from app.widgets import CONTROLS, control_for
from augmenters import Augmenter, Health, Pipeline, load_image, register, registry
from augmenters.core import params as param_types
from augmenters.core.errors import PipelineError
from augmenters.io import encode_image

from .app_server import ROOT
from .conftest import make_photo_like
from .test_pipeline import blend_op  # noqa: F401  (a throwaway mixing op, as a fixture)

CHELSEA = ROOT / "app" / "assets" / "chelsea.jpg"


def _all_param_types() -> set[str]:
    found, todo = set(), [param_types.Param]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.add(sub.type)
            todo.append(sub)
    return found


# -- the spec -> control table --------------------------------------------------------------


def test_every_ui_string_has_english_and_korean():
    from app.ui_text import EN, KO

    assert set(EN) == set(KO) and all(KO.values())


def test_every_spec_type_has_a_control():
    assert _all_param_types() <= set(CONTROLS)


@pytest.mark.parametrize("op", registry.names())
def test_controls_of_every_registered_op_give_back_its_defaults(op):
    """Build each op's controls from its spec and read them back: the defaults survive the round trip."""
    augmenter = registry.get(op)
    with gr.Blocks():
        for param in augmenter.spec:
            control = control_for(param, param.default_value, f"k-{param.name}")
            values = [c.value for c in control.components]
            assert param.validate(control.combine(*values)) == param.validate(param.default_value)
            # values always come from the pipeline state, never from a control that held the key before
            assert all(c.key and c.preserved_by_key == [] for c in control.components)
            for slider in (c for c in control.components if isinstance(c, gr.Slider)):
                steps = (slider.value - slider.minimum) / slider.step  # the default sits on the slider's grid
                assert abs(steps - round(steps)) < 1e-6, (param.name, slider.value, slider.step)


# -- builder edits ----------------------------------------------------------------------------


def test_builder_edits_produce_valid_pipelines_and_leave_the_old_state_alone():
    state = builder.empty("image")
    one = builder.add_step(state, "rotate")
    assert state["steps"] == [] and one["steps"][0]["op"] == "rotate"
    two = builder.add_step(builder.add_step(one, "hflip"), "color_jitter")
    two = builder.set_setting(two, (0, None), "angle", [-5, 5])
    two = builder.set_probability(two, (1, None), 0.25)
    assert builder.to_pipeline(two).to_dict()["steps"][0]["settings"]["angle"] == [-5.0, 5.0]
    moved = builder.move(two, 2, -1)
    assert [s["op"] for s in moved["steps"]] == ["rotate", "color_jitter", "hflip"]
    assert builder.move(two, 0, -1) == two
    grouped = builder.group_with_next(two, 1)
    assert grouped["steps"][1] == {"one_of": [two["steps"][1], two["steps"][2]], "p": 1.0}
    assert builder.to_pipeline(grouped).ops() == ["rotate", "hflip", "color_jitter"]
    grouped = builder.set_setting(grouped, (1, 1), "hue", [0.0, 0.1])
    assert grouped["steps"][1]["one_of"][1]["settings"]["hue"] == [0.0, 0.1]
    single = builder.remove(grouped, (1, 0))
    assert single["steps"][1]["op"] == "color_jitter"  # a one-option group becomes its step
    assert builder.ungroup(grouped, 1)["steps"] == builder.set_setting(two, (2, None), "hue", [0.0, 0.1])["steps"]
    assert builder.remove(two, (0, None))["steps"] == two["steps"][1:]


def test_builder_errors_name_the_step_and_field():
    state = builder.add_step(builder.add_step(builder.empty("image"), "hflip"), "rotate")
    with pytest.raises(PipelineError, match=r"step 2 \(rotate\): 'angle' = 999.0 is above its maximum 180.0"):
        builder.set_setting(state, (1, None), "angle", [0, 999])
    with pytest.raises(PipelineError, match="must be a number from 0 to 1"):
        builder.set_probability(state, (0, None), 1.5)
    with pytest.raises(PipelineError, match="no next step"):
        builder.group_with_next(state, 1)
    with pytest.raises(PipelineError, match="works on image"):
        builder.add_step(state, "word_swap")
    with pytest.raises(PipelineError, match="pipeline is empty"):
        builder.to_pipeline(builder.empty("text"))


# -- previews and captions ---------------------------------------------------------------------


def test_previews_are_jpeg_q90_and_png_only_for_real_alpha():
    rgb = make_photo_like(32, 40, 3)
    data, ext = encode_preview(rgb)
    assert ext == "jpg" and data == encode_image(rgb, "jpeg", quality=90)
    rgba = make_photo_like(32, 40, 4)
    assert preview_format(rgba) == "png" and Image.open(io.BytesIO(encode_preview(rgba)[0])).mode == "RGBA"
    opaque = rgba.copy()
    opaque[:, :, 3] = 255
    assert preview_format(opaque) == "jpeg"


def test_caption_shows_sampled_values_and_label_weights():
    record = {
        "index": 3,
        "labels": {"input": 0.625, "partner": 0.375},
        "steps": [
            {"op": "rotate", "applied": True, "params": {"angle": 12.5, "border": "reflect", "expand": False}},
            {"op": "hflip", "applied": False, "params": {}},
            {
                "group": "one_of",
                "applied": True,
                "chosen": [0],
                "steps": [{"op": "hflip", "applied": True, "params": {}}],
            },
        ],
    }
    assert caption(record) == "#3 [input 0.625, partner 0.375] rotate(angle=12.5) · hflip"
    assert caption({"index": 0, "steps": []}) == "#0 unchanged"
    pipeline = {"steps": [{"op": "rotate", "settings": {"angle": [-15, 15], "fill": 0}}]}
    echoed = {"index": 1, "steps": [{"op": "rotate", "applied": True, "params": {"angle": -3.5, "fill": 0}}]}
    assert caption(echoed) == "#1 rotate(angle=-3.5, fill=0)"
    assert caption(echoed, pipeline) == "#1 rotate(angle=-3.5)"  # fill was set, not drawn


# -- text diff and table ------------------------------------------------------------------------


def test_token_diff_marks_changes_and_rebuilds_the_variant():
    source, variant = "the dog bites the man", "the man bites the dog <b>"
    ops = diff_ops(source, variant)
    assert "".join(text for kind, text in ops if kind != "del") == variant
    assert "".join(text for kind, text in ops if kind != "ins") == source
    html = diff_html(source, variant)
    assert "<del>dog</del><ins>man</ins>" in html and "&lt;b&gt;" in html


def test_text_table_marks_variants_below_min_similarity_from_their_records():
    rows = [
        {"index": 0, "text": "a b", "similarity": 0.91, "changed": 0.1, "record": {}},
        {"index": 1, "text": "b a", "similarity": 0.42, "changed": 0.5, "record": {}},
    ]
    table = text_table("a b", rows, 0.5)
    assert table.count('class="below"') == 1 and "0.42" in table and "below min_similarity" in table
    assert text_table("a b", rows, 0.0).count('class="below"') == 0
    failed = [{**rows[1], "record": {"failed": "similarity 0.42 < 0.8 after 5 attempts"}}]
    assert "similarity 0.42 &lt; 0.8 after 5 attempts" in text_table("a b", failed, 0.0)
    no_scores = [{**r, "similarity": None, "changed": None} for r in rows]
    assert "no similarity score" in text_table("a b", no_scores, 0.9)


# -- handlers ---------------------------------------------------------------------------------


def _light() -> dict:
    return handlers.load_preset("light", "image")


def test_preview_is_byte_identical_to_the_cli(tmp_path):
    """Same pipeline, seed and input: the app's preview files equal `augplay preview --format jpeg`."""
    out = tmp_path / "cli"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "preview",
            "--pipeline",
            "light",
            "--input",
            str(CHELSEA),
            "--n",
            "4",
            "--seed",
            "21",
            "--format",
            "jpeg",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    gallery, records = handlers.augment_image(str(CHELSEA), _light(), 21, 4)
    cli_records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    for (path, _), record, cli_record in zip(gallery, records, cli_records):
        assert Path(path).read_bytes() == (out / cli_record.pop("output")).read_bytes()
        assert json.loads(json.dumps(record)) == cli_record


def test_sample_detail_recomputes_the_clicked_sample():
    (before, after), record = handlers.sample_detail(str(CHELSEA), _light(), 9, 5)
    expected, expected_record = Pipeline.load("light")(load_image(CHELSEA), seed=9, index=5, source=CHELSEA.name)
    assert record == expected_record and Path(after).read_bytes() == encode_image(expected, "jpeg")
    with pytest.raises(gr.Error, match="Click a sample"):
        handlers.sample_detail(str(CHELSEA), _light(), 9, -1)


def test_pins_keep_seed_index_and_pipeline_once():
    pins = handlers.pin_sample([], _light(), 4, 1)
    assert (
        handlers.pin_sample(pins, _light(), 4, 1)
        == pins
        == [{"seed": 4, "index": 1, "pipeline": Pipeline.load("light").to_dict()}]
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: handlers.augment_image(None, _light(), 0, 2), "Upload an image"),
        (lambda: handlers.augment_image(str(CHELSEA), _light(), -1, 2), "seed must be a whole number"),
        (lambda: handlers.augment_image(str(CHELSEA), _light(), 0, 17), "from 1 to 16"),
        (lambda: handlers.augment_image(str(CHELSEA), builder.empty("image"), 0, 2), "pipeline is empty"),
        (lambda: handlers.add_step(builder.empty("text"), "rotate"), "works on text"),
        (lambda: handlers.add_step(builder.empty("text"), "nope"), "unknown augmenter 'nope'"),
        (lambda: handlers.load_preset("word_noise", "image"), "is for text"),
        (lambda: handlers.augment_text("", handlers.load_preset("word_noise", "text"), 0, 2), "Type or paste"),
    ],
)
def test_handler_errors_are_gr_errors_with_human_messages(call, message):
    with pytest.raises(gr.Error, match=message):
        call()


def test_unexpected_errors_hide_details(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("/secret/server/path exploded")

    monkeypatch.setattr(handlers, "run_image", boom)
    with pytest.raises(gr.Error) as err:
        handlers.augment_image(str(CHELSEA), _light(), 0, 2)
    assert "/secret" not in str(err.value) and "server log" in str(err.value)


def test_load_yaml_refuses_binary_and_oversized_files(tmp_path):
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(gr.Error, match="x.yaml is not a UTF-8 text file"):
        handlers.load_yaml(str(binary), "image")
    big = tmp_path / "big.yaml"
    big.write_text("#" * (LOCAL.max_yaml_bytes + 1))
    with pytest.raises(gr.Error, match="larger than 256 KB"):
        handlers.load_yaml(str(big), "image")


def test_generated_python_runs_and_reproduces_the_preview(tmp_path):
    code = python_code(Pipeline.load("light"), seed=2, n=2).replace("your_image.jpg", str(CHELSEA))
    namespace: dict = {}
    exec(compile(code.replace("print(record)", "pass"), "generated", "exec"), namespace)
    expected, _ = Pipeline.load("light")(load_image(CHELSEA), seed=2, index=1, source=CHELSEA.name)
    assert np.array_equal(namespace["output"], expected)


def test_space_limits_are_tighter(monkeypatch):
    monkeypatch.delenv("SPACE_ID", raising=False)
    assert current() is LOCAL
    monkeypatch.setenv("SPACE_ID", "someone/augplay")
    assert current() is SPACE
    assert SPACE.max_samples < LOCAL.max_samples and SPACE.max_file_bytes < LOCAL.max_file_bytes
    assert SPACE.max_text_chars < LOCAL.max_text_chars and SPACE.queue_size < LOCAL.queue_size


def test_catalogue_choices_cover_each_modality_and_note_unavailable_ops():
    for modality in ("image", "text"):
        assert sorted(value for _, value in catalogue_choices(modality)) == registry.names(modality)
    rows = catalogue_rows()
    for row in rows:
        health = registry.get(row[0]).health()
        assert row[3] == health.status and row[4] == health.reason


def test_mixing_ops_need_a_partner_and_show_label_weights(blend_op, tmp_path):
    """The app finds partners and label weights for a mixing op it has never heard of."""
    state = builder.add_step(builder.empty("image"), blend_op)
    with pytest.raises(gr.Error, match="partner image"):
        handlers.augment_image(str(CHELSEA), state, 0, 2)
    partner = tmp_path / "partner.png"
    Image.fromarray(make_photo_like(300, 451, 3)).save(partner)
    gallery, records = handlers.augment_image(str(CHELSEA), state, 0, 2, str(partner))
    weight = records[0]["steps"][0]["params"]["self_weight"]
    assert records[0]["labels"] == {"input": weight, "partner": pytest.approx(1 - weight)}
    from augmenters.core.summary import number  # captions: at most 4 significant digits

    assert gallery[0][1].startswith(f"#0 [input {number(weight)}, partner {number(1 - weight)}]")


@pytest.fixture
def model_op():
    """A text op whose model is missing: the app must say so, never crash."""

    @register("test_app_needs_model")
    class NeedsModel(Augmenter):
        modality = "text"
        family = "sentence"
        description = "test only"

        def check_health(self):
            return Health(
                "needs_model", "the model test/tiny is not downloaded; set AUGPLAY_TEST_MODEL to a local copy"
            )

        def sample(self, settings, data, rng):
            return {}

        def apply(self, data, params):
            return data

    yield "test_app_needs_model"
    registry.unregister("test_app_needs_model")


def test_a_missing_model_gives_a_clear_message(model_op):
    label = dict((value, label) for label, value in catalogue_choices("text"))[model_op]
    assert "needs_model: the model test/tiny is not downloaded" in label
    state = handlers.add_step(builder.empty("text"), model_op)
    with pytest.raises(gr.Error, match="test_app_needs_model cannot run here \\(needs_model\\): the model test/tiny"):
        handlers.augment_text("some words here", state, 0, 2)


# -- issue 11: edits named as edits, per-line text, visible whitespace, no telemetry at import ---------


def test_an_edited_preset_is_named_as_an_edit_and_keeps_what_it_was_based_on():
    light = handlers.load_preset("light", "image")
    edited = builder.remove(light, (1, None))
    assert (edited["name"], edited["based_on"]) == ("light (edited)", "light")
    again = builder.set_probability(edited, (0, None), 0.5)
    assert (again["name"], again["based_on"]) == ("light (edited)", "light")  # not "light (edited) (edited)"
    assert builder.move(light, 0, -1)["name"] == "light"  # nothing changed: still the preset
    assert builder.add_step(builder.empty("image"), "hflip")["name"] == "custom"
    pipeline = builder.to_pipeline(again)
    assert Pipeline.from_yaml(pipeline.to_yaml()).to_dict() == pipeline.to_dict()
    assert pipeline(load_image(CHELSEA), seed=1, source="x")[1]["pipeline"] == "light (edited)"
    with pytest.raises(PipelineError, match="'based_on' must be text"):
        Pipeline.from_dict({**pipeline.to_dict(), "based_on": 3})


def test_group_weights_and_counts_are_edited_with_the_yaml_wording():
    state = builder.group_with_next(builder.add_step(builder.add_step(builder.empty("image"), "hflip"), "vflip"), 0)
    state = builder.set_weight(state, (0, 1), 3)
    assert state["steps"][0]["weights"] == [1.0, 3.0]
    assert builder.to_pipeline(state).steps[0].weights == (1.0, 3.0)
    with pytest.raises(PipelineError, match=r"step 1 \(one_of\): 'weights' must be 2 non-negative numbers"):
        builder.set_weight(state, (0, 0), -1)
    assert builder.group_title(state["steps"][0]) == "pick one of"
    some = {**state, "steps": [{"some_of": state["steps"][0]["one_of"], "p": 1.0}]}
    assert builder.group_title(builder.set_count(some, 0, [1, 2])["steps"][0]) == "pick 1–2 of"
    assert builder.group_title(builder.set_count(some, 0, [2, 2])["steps"][0]) == "pick 2 of"
    with pytest.raises(PipelineError, match=r"step 1 \(some_of\): 'n' = \[2, 1\] must be \[low, high\]"):
        builder.set_count(some, 0, [2, 1])


def test_text_per_line_rows_are_the_rows_of_a_txt_export(tmp_path):
    from augmenters.export import TextLinesSource, TextTableSource

    text = "first line here\n\n   \nthird line, with more words\nlast"
    (tmp_path / "text.txt").write_text(text, encoding="utf-8")
    lines, table = TextLinesSource(text), TextTableSource(tmp_path / "text.txt")
    assert [(i.id, i.text) for i in lines.items] == [(i.id, i.text) for i in table.items]
    assert [i.id for i in lines.items] == ["0", "3", "4"]
    state = handlers.load_preset("word_noise", "text")
    rows = handlers.augment_text(text, state, 4, 2, "lines")
    pipeline = Pipeline.load("word_noise")
    assert [(r["line"], r["index"]) for r in rows] == [("0", 0), ("0", 1), ("3", 0), ("3", 1), ("4", 0), ("4", 1)]
    assert rows[2]["text"] == pipeline("third line, with more words", seed=4, index=0, source="3")[0]
    whole = handlers.augment_text(text, state, 4, 1, "whole")
    assert whole[0]["text"] == pipeline(text, seed=4, index=0, source="text")[0]


def test_a_changed_space_or_line_break_is_visible_in_the_diff():
    assert diff_html("a b", "ab") == "<del>a·b</del><ins>ab</ins>"
    assert "↵" in diff_html("one two", "one\ntwo")
    assert "<br>" in diff_html("one\ntwo", "one\ntwo")  # an unchanged break stays a plain break


def test_importing_the_app_starts_no_telemetry(tmp_path):
    """As a Space imports it: no GRADIO_ANALYTICS_ENABLED, and no connection to anywhere but this machine."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import socket, sys, threading, time\n"
        "tried = []\n"
        "real = socket.socket.connect\n"
        "def connect(self, address):\n"
        "    tried.append(address)\n"
        "    raise OSError('no network in this test')\n"
        "socket.socket.connect = connect\n"
        "real_getaddrinfo = socket.getaddrinfo\n"
        "def getaddrinfo(host, *a, **k):\n"
        "    tried.append(host)\n"
        "    raise OSError('no network in this test')\n"
        "socket.getaddrinfo = getaddrinfo\n"
        "import app.ui\n"
        "time.sleep(1.0)\n"
        "print(app.ui.demo.analytics_enabled, tried)\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("GRADIO_", "SPACE_ID"))}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, str(probe)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False []"
