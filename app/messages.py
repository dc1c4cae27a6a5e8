"""Messages built on the server (errors, warnings, refusals) in the session's language.

`gr.I18n` translates fixed labels in the browser, but a message such as "step 1 (rotate):
'angle' = 999 is above its maximum 180.0" is composed on the server with values in it. Code
keeps writing English; at the one place a message leaves for the browser (`human_errors`, a
refusal's `gr.Warning`) it is matched against the English templates below and rebuilt from the
Korean one. Fields named `detail` are translated in turn (a library message inside an app one).
A message no template matches is shown in English, as written.
"""

from __future__ import annotations

import functools
import re

from augmenters.locale import ENGLISH, LANGUAGES

# (English template, Korean template). Order matters: the first full match wins, so a
# specific wording comes before the general one it would also match.
TEMPLATES: tuple[tuple[str, str], ...] = (
    # -- the app's own messages (app/handlers.py, app/export_handlers.py, app/ui.py)
    ("Something went wrong inside augplay; the details are in the server log.",
     "augplay 내부에서 문제가 생겼습니다. 자세한 내용은 서버 로그에 있습니다."),
    ("Upload an image or pick an example first.", "먼저 이미지를 업로드하거나 예제를 고르세요."),
    ("Upload a partner image or pick an example first.", "먼저 짝 이미지를 업로드하거나 예제를 고르세요."),
    ("Upload {what} or pick an example first.", "먼저 {what}을(를) 업로드하거나 예제를 고르세요."),
    ("Type or paste some text first.", "먼저 텍스트를 입력하거나 붙여 넣으세요."),
    ("The seed must be a whole number from 0 to {max}.", "시드는 0부터 {max}까지의 정수여야 합니다."),
    ("The number of samples must be from 1 to {max}.", "샘플 수는 1부터 {max}까지여야 합니다."),
    ("The number of samples is a whole number; {n} will not run.", "샘플 수는 정수입니다. {n}(으)로는 실행되지 않습니다."),
    ("The number of samples is from 1 to {max} here: {n} becomes {bound}.",
     "여기서 샘플 수는 1부터 {max}까지입니다. {n}은(는) {bound}(으)로 바뀝니다."),
    ("Preset {name} is for {modality}, not {other}.", "프리셋 {name}은(는) {other}용이 아니라 {modality}용입니다."),
    ("Pick an augmenter to add.", "추가할 증강 연산을 고르세요."),
    ("Choose a pipeline YAML file to load.", "불러올 파이프라인 YAML 파일을 고르세요."),
    ("{name} is larger than {kb} KB; a pipeline is much smaller.", "{name}은(는) {kb} KB보다 큽니다. 파이프라인은 훨씬 작습니다."),
    ("{name} is not a UTF-8 text file.", "{name}은(는) UTF-8 텍스트 파일이 아닙니다."),
    ("{name} is a {modality} pipeline; load it in the {tab} tab.", "{name}은(는) {modality} 파이프라인입니다. {tab} 탭에서 불러오세요."),
    ("Upload a partner image (this pipeline mixes two images).", "짝 이미지를 업로드하세요 (이 파이프라인은 두 이미지를 섞습니다)."),
    ("Sample #{k} could not be made: {detail}", "샘플 #{k}을(를) 만들 수 없습니다: {detail}"),
    ("Line {line}, variant #{k} could not be made: {detail}", "{line}번 줄의 변형 #{k}을(를) 만들 수 없습니다: {detail}"),
    ("Variant #{k} could not be made: {detail}", "변형 #{k}을(를) 만들 수 없습니다: {detail}"),
    ("{what} #{k} could not be made: {detail}", "{what} #{k}을(를) 만들 수 없습니다: {detail}"),
    ("Click a sample in the grid first, then pin it.", "먼저 격자에서 샘플을 클릭한 뒤 고정하세요."),
    ("Click a sample in the grid first.", "먼저 격자에서 샘플을 클릭하세요."),
    ("Pick how the text is read: {modes}.", "텍스트를 읽는 방식을 고르세요: {modes}."),
    ("{lines} lines × {n} variants is {rows} rows; the preview shows at most {max}. "
     "Use fewer variants or lines, or the Export tab for the whole text.",
     "{lines}줄 × 변형 {n}개는 {rows}행입니다. 미리보기는 최대 {max}행까지 보여 줍니다. "
     "변형이나 줄을 줄이거나, 텍스트 전체는 내보내기 탭을 쓰세요."),
    ("This export is already running (from another click or tab); wait for it to finish.",
     "이 내보내기는 이미 실행 중입니다 (다른 클릭이나 탭에서). 끝날 때까지 기다리세요."),
    ("The server's disk is nearly full: ask for fewer variants or a smaller dataset.",
     "서버 디스크가 거의 찼습니다. 변형 수를 줄이거나 더 작은 데이터셋을 쓰세요."),
    ("Upload a ZIP of images or a CSV / JSONL / TXT file first.", "먼저 이미지 ZIP 또는 CSV / JSONL / TXT 파일을 업로드하세요."),
    ("{name}: upload a .zip, .csv, .jsonl or .txt file.", "{name}: .zip, .csv, .jsonl, .txt 파일을 업로드하세요."),
    ("Type the path of a folder or file on this machine.", "이 컴퓨터의 폴더나 파일 경로를 입력하세요."),
    ("{path}: no such folder or file on this machine.", "{path}: 이 컴퓨터에 그런 폴더나 파일이 없습니다."),
    ("Pick where the dataset comes from.", "데이터셋을 어디서 가져올지 고르세요."),
    ("The {tab} tab's pipeline is empty: pick a preset or add a step in the {tab2} tab, or pick a preset here.",
     "{tab} 탭의 파이프라인이 비어 있습니다. {tab2} 탭에서 프리셋을 고르거나 단계를 추가하거나, 여기서 프리셋을 고르세요."),
    ("Pick a pipeline: a tab's pipeline or a preset.", "파이프라인을 고르세요: 탭의 파이프라인 또는 프리셋."),
    ("With 0 variants per item there is nothing to export: ask for variants, copy the originals or balance the classes.",
     "항목당 변형이 0개면 내보낼 것이 없습니다. 변형을 요청하거나, 원본을 복사하거나, 클래스 균형을 맞추세요."),
    ("Pick an image format: same, jpeg, png or webp.", "이미지 형식을 고르세요: same, jpeg, png, webp."),
    ("The {engine} engine is not offered here; use {choices}.", "{engine} 엔진은 여기서 제공되지 않습니다. {choices}을(를) 쓰세요."),
    ("Pin a sample in the Image tab first (click a tile, then Pin this sample).",
     "먼저 이미지 탭에서 샘플을 고정하세요 (타일을 클릭한 뒤 '이 샘플 고정')."),
    ("{name} must be a whole number from {low} to {high}.", "{name}은(는) {low}부터 {high}까지의 정수여야 합니다."),
    ("Models are preloaded on a Space; downloads are for the local app.",
     "Space에서는 모델이 미리 받아져 있습니다. 내려받기는 로컬 앱에서만 합니다."),
    ("Export a dataset first, then push it.", "먼저 데이터셋을 내보낸 다음 올리세요."),
    ("Give the dataset repo as your-name/dataset-name.", "데이터셋 저장소를 your-name/dataset-name 형식으로 적으세요."),
    ("The held-out fraction must be from 0.05 to 0.9 (e.g. 0.2).", "평가용으로 떼어 둘 비율은 0.05부터 0.9까지여야 합니다 (예: 0.2)."),
    ("The time budget must be above 0 and at most {most} minutes.", "시간 예산은 0보다 크고 {most}분 이하여야 합니다."),
    # -- refusals from the builder and the specs (the same wording as YAML load errors)
    ("step {n} ({op}): {detail}", "{n}단계 ({op}): {detail}"),
    ("'{name}' = low {low} is above high {high}", "'{name}': 낮은 값 {low}이(가) 높은 값 {high}보다 큽니다"),
    ("'{name}' = {value} is above its maximum {max}", "'{name}' = {value}: 최댓값 {max}보다 큽니다"),
    ("'{name}' = {value} is below its minimum {min}", "'{name}' = {value}: 최솟값 {min}보다 작습니다"),
    ("'{name}' = {value} in {pair} is not a whole number", "'{name}': {pair}의 {value}은(는) 정수가 아닙니다"),
    ("'{name}' = {value} in {pair} is not a number", "'{name}': {pair}의 {value}은(는) 숫자가 아닙니다"),
    ("'{name}' = {value} is not a whole number", "'{name}' = {value}: 정수가 아닙니다"),
    ("'{name}' = {value} is not a number", "'{name}' = {value}: 숫자가 아닙니다"),
    ("'{name}' = {value} is not a [low, high] pair", "'{name}' = {value}: [낮은 값, 높은 값] 쌍이 아닙니다"),
    ("'{name}' = {value} is not one of {options}", "'{name}' = {value}: {options} 중 하나가 아닙니다"),
    ("'{name}' = {value} is not true or false", "'{name}' = {value}: 참이나 거짓이 아닙니다"),
    ("'p' = {value} must be a number from 0 to 1", "'p' = {value}: 0에서 1 사이의 숫자여야 합니다"),
    ("'{name}' was left empty or unfinished", "'{name}' 칸이 비었거나 입력이 끝나지 않았습니다"),
    ("'n' = {value} must be [low, high] with 0 <= low <= high <= {max}",
     "'n' = {value}: 0 <= 낮은 값 <= 높은 값 <= {max}인 [낮은 값, 높은 값]이어야 합니다"),
    ("'weights' must be {k} non-negative numbers, not all zero", "'weights'는 음수가 아닌 숫자 {k}개여야 하며, 모두 0이면 안 됩니다"),
    ("the pipeline is empty: add a step or pick a preset first", "파이프라인이 비어 있습니다. 먼저 단계를 추가하거나 프리셋을 고르세요"),
    ("{op} cannot run here ({status}): {reason}", "{op}은(는) 여기서 실행할 수 없습니다 ({status}): {reason}"),
    # -- meaning scores (augmenters/similarity.py, the pipeline's min_similarity); the longer wording first
    ("min_similarity needs the meaning score, which this text cannot get: {detail}; leave min_similarity out for it",
     "min_similarity에는 의미 점수가 필요한데 이 텍스트는 점수를 받을 수 없습니다: {detail}. 이 텍스트에는 min_similarity를 빼세요"),
    ("not scored: {detail}", "점수 없음: {detail}"),
    ("the similarity model ({scorer}) reads English only, and this text is mostly {what}; "
     "fetch a multilingual scorer with `augplay models pull {model}` to score it",
     "유사도 모델({scorer})은 영어만 읽는데 이 텍스트는 대부분 {what}입니다. "
     "`augplay models pull {model}`로 다국어 채점 모델을 받으면 점수가 나옵니다"),
    ("the similarity model ({scorer}) reads English only, and this text is mostly {what}",
     "유사도 모델({scorer})은 영어만 읽는데 이 텍스트는 대부분 {what}입니다"),
)

KOREAN = "ko"
_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """An English template as a regex: literal text, each `{field}` any text (shortest first)."""
    parts, last = [], 0
    for match in _FIELD.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


@functools.cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((_pattern(en), ko) for en, ko in TEMPLATES)


def translate(message: str, language: str) -> str:
    """`message` (English, as the code wrote it) in `language`; unmatched text stays as it is."""
    if language != KOREAN:
        return message
    for pattern, korean in _compiled():
        match = pattern.fullmatch(message)
        if match:
            fields = match.groupdict()
            if "detail" in fields:
                fields["detail"] = translate(fields["detail"], language)
            return korean.format(**fields)
    return message


def parse_accept_language(header: str | None) -> str:
    """The first supported language in an Accept-Language header ("ko-KR,ko;q=0.9,en;q=0.8" -> "ko")."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.split("-")[0].lower()))
    return next((lang for _, _, lang in sorted(ranked) if lang in LANGUAGES), ENGLISH)


def session_language() -> str:
    """The language of the browser behind the event being handled (English outside an event).

    Gradio keeps the event's request in a context variable while a handler runs; the browser's
    Accept-Language follows its locale, the same locale `gr.I18n` translates labels by.
    """
    from gradio.context import LocalContext

    request = LocalContext.request.get(None)
    headers = getattr(request, "headers", None)
    return parse_accept_language(headers.get("accept-language") if headers is not None else None)


def localize(message: str) -> str:
    """`message` in the current session's language."""
    return translate(message, session_language())
