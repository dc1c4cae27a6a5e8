"""'Show code': the Python and CLI that reproduce what the app previews, from the pipeline's YAML.

The command names the files the user has: the YAML *Save as YAML* gives (`yaml_file_name`)
and the image they uploaded, whose file name is also the id the samples are keyed by.
"""

from __future__ import annotations

import re
import shlex

from augmenters import Pipeline


def yaml_file_name(pipeline: Pipeline) -> str:
    """`light.yaml`, `light-edited.yaml`, `custom.yaml`: the file Save gives and the command names."""
    stem = re.sub(r"[^0-9A-Za-z_-]+", "-", pipeline.name).strip("-_") or "pipeline"
    return f"{stem}.yaml"


def python_code(
    pipeline: Pipeline, seed: int, n: int, input_name: str | None = None, partner_name: str | None = None
) -> str:
    yaml_text = pipeline.to_yaml().rstrip("\n").replace('"""', '\\"\\"\\"')
    # Samples are keyed by (seed, source id, index); the app's source id is the file's name.
    if pipeline.modality == "image":
        image_file = input_name or "your_image.jpg"
        load = (
            f"image_file = {image_file!r}\n"
            "data = load_image(image_file)  # the same safe loader the app uses\n"
            "source = os.path.basename(image_file)"
        )
        imports = "import os\n\nfrom augmenters import Pipeline, load_image"
        partner = ""
        if pipeline.needs_partner:
            partner_file = partner_name or "partner.jpg"
            partner = f'\npartners = [Partner(id={partner_file!r}, data=load_image({partner_file!r}), label="partner")]'
            imports = "import os\n\nfrom augmenters import Partner, Pipeline, load_image"
    else:
        load = f"data = {input_name or 'Your text here.'!r}\nsource = \"text\""
        imports = "from augmenters import Pipeline"
        partner = ""
    call_extra = ', partners=partners, label="input"' if partner else ""
    return (
        f"{imports}\n\n"
        f'pipeline = Pipeline.from_yaml("""\n{yaml_text}\n""")\n'
        f"{load}{partner}\n\n"
        f"for index in range({n}):\n"
        f"    output, record = pipeline(data, seed={seed}, index=index, source=source{call_extra})\n"
        f"    print(record)  # what was applied, with the sampled params\n"
    )


def cli_command(
    pipeline: Pipeline, seed: int, n: int, input_name: str | None = None, partner_name: str | None = None
) -> str:
    """`augplay preview …` as it runs in a folder holding the saved YAML and the input file(s)."""
    if pipeline.modality == "image":
        source = shlex.quote(input_name or "your_image.jpg")
    else:
        source = shlex.quote(input_name or "Your text here.")
    partner = f" --partner {shlex.quote(partner_name or 'partner.jpg')}" if pipeline.needs_partner else ""
    fmt = " --format jpeg" if pipeline.modality == "image" else ""
    yaml_file = shlex.quote(yaml_file_name(pipeline))
    return f"augplay preview --pipeline {yaml_file} --input {source} --n {n} --seed {seed}{partner}{fmt} --out previews/"


TEXT_FILE = "text.txt"


def text_lines_code(pipeline: Pipeline, seed: int, n: int) -> tuple[str, str]:
    """Each line a sample: the text saved as a .txt file, exported; row (line, k) is the preview's row."""
    yaml_text = pipeline.to_yaml().rstrip("\n").replace('"""', '\\"\\"\\"')
    python = (
        "from augmenters import Pipeline\n"
        "from augmenters.export import TextLinesSource, render_variants\n\n"
        f'pipeline = Pipeline.from_yaml("""\n{yaml_text}\n""")\n'
        f"# {TEXT_FILE}: the text, one sample per line (line numbers from 0 are the ids)\n"
        f'source = TextLinesSource(open("{TEXT_FILE}", encoding="utf-8").read())\n\n'
        "for item in source.items:\n"
        f"    for result in render_variants(pipeline, source, item, range({n}), {seed}):\n"
        "        print(item.id, result.k, result.output, result.record)\n"
    )
    yaml_file = shlex.quote(yaml_file_name(pipeline))
    cli = (
        f"# {TEXT_FILE}: the text, one sample per line\n"
        f"augplay export --pipeline {yaml_file} --input {TEXT_FILE} --variants {n} --seed {seed} --out export/"
    )
    return python, cli
