"""'Show code': the Python and CLI that reproduce what the app previews, from the pipeline's YAML."""

from __future__ import annotations

from augmenters import Pipeline


def python_code(pipeline: Pipeline, seed: int, n: int) -> str:
    yaml_text = pipeline.to_yaml().rstrip("\n").replace('"""', '\\"\\"\\"')
    # Samples are keyed by (seed, source id, index); the app's source id is the file's name.
    if pipeline.modality == "image":
        load = (
            'image_file = "your_image.jpg"\n'
            "data = load_image(image_file)  # the same safe loader the app uses\n"
            "source = os.path.basename(image_file)"
        )
        imports = "import os\n\nfrom augmenters import Pipeline, load_image"
        partner = (
            '\npartners = [Partner(id="partner.jpg", data=load_image("partner.jpg"), label="partner")]'
            if pipeline.needs_partner
            else ""
        )
        if partner:
            imports = "import os\n\nfrom augmenters import Partner, Pipeline, load_image"
    else:
        load = 'data = "Your text here."\nsource = "text"'
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


def cli_command(pipeline: Pipeline, seed: int, n: int) -> str:
    source = "your_image.jpg" if pipeline.modality == "image" else '"Your text here."'
    partner = " --partner partner.jpg" if pipeline.needs_partner else ""
    fmt = " --format jpeg" if pipeline.modality == "image" else ""
    return (
        f"augplay preview --pipeline pipeline.yaml --input {source} --n {n} --seed {seed}{partner}{fmt} --out previews/"
    )
