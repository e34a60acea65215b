"""Response envelopes, their message texts in English and Chinese, and paging objects."""

from __future__ import annotations

from collections.abc import Callable

from simulator.jsontypes import JsonObject, JsonValue

CODE_OK = 0
CODE_WRITE_OK = 200
CODE_NOT_FOUND = 400
CODE_NO_ACCESS = 403
CODE_FAIL = 500

# (English, Chinese); `{name}`/`{limit}` are filled in by `message`.
_TEXTS: dict[str, tuple[str, str]] = {
    "ok": ("operate successfully", "操作成功"),
    "no_access": ("No access", "无权限"),
    "not_found": ("not found", "未找到"),
    "missing": ("{name} is required", "缺少参数 {name}"),
    "bad_date": ("{name} must be yyyy-MM-dd HH:mm:ss", "{name} 格式应为 yyyy-MM-dd HH:mm:ss"),
    "bad_number": ("{name} must be an integer", "{name} 必须是整数"),
    "bad_body": ("request body must be a JSON object", "请求体必须是 JSON 对象"),
    "bad_value": ("invalid value for {name}", "{name} 的值无效"),
    "bad_timezone": ("unknown timezone {name}", "未知时区 {name}"),
    "exists": ("{name} already exists", "{name} 已存在"),
    "no_datalog": ("DataLog {name} does not exist", "数据采集器 {name} 不存在"),
    "bad_valid_code": (
        "the validation code does not match DataLog {name}",
        "数据采集器 {name} 的校验码不正确",
    ),
    "limit": (
        "The device supports Settings {limit} times per day",
        "设备每天最多支持设置{limit}次",
    ),
    "fail": ("fail", "失败"),
}


def language(accept_language: str | None) -> str:
    """Return "zh" when the client asks for Chinese, else "en" (the documented default)."""
    return "zh" if (accept_language or "").strip().lower().startswith("zh") else "en"


def message(key: str, lang: str, *, name: str = "", limit: int = 0) -> str:
    """Return the message text for `key` in `lang`."""
    english, chinese = _TEXTS[key]
    return (chinese if lang == "zh" else english).format(name=name, limit=limit)


def ok(data: JsonValue, lang: str) -> JsonObject:
    """Envelope of a successful read (code 0, as every documented example)."""
    return {"code": CODE_OK, "data": data, "msg": message("ok", lang)}


def write_ok(data: JsonValue = None) -> JsonObject:
    """Envelope of a successful change (code 200 and an empty msg, as the modify page)."""
    return {"code": CODE_WRITE_OK, "data": data, "msg": ""}


def error(code: int, msg: str) -> JsonObject:
    """Envelope of a failure; HTTP status stays 200 like the cloud."""
    return {"code": code, "data": None, "msg": msg}


class ApiError(Exception):
    """Raised by handlers to answer with an error envelope."""

    def __init__(self, code: int, key: str, *, name: str = "", limit: int = 0) -> None:
        """Remember the code and the message key with its arguments."""
        super().__init__(key)
        self.code = code
        self.key = key
        self.name = name
        self.limit = limit

    def envelope(self, lang: str) -> JsonObject:
        """Return the error envelope in `lang`."""
        return error(self.code, message(self.key, lang, name=self.name, limit=self.limit))


def not_found() -> ApiError:
    """Unknown deviceSn / plantId / dataLogSn / setting key."""
    return ApiError(CODE_NOT_FOUND, "not_found")


def page(datas: list[JsonValue], *, page_no: int, page_size: int, total: int) -> JsonObject:
    """Return the documented paging object around the items of page `page_no`."""
    return {
        "datas": datas,
        "offset": (page_no - 1) * page_size,
        "pageNo": page_no,
        "pageSize": page_size,
        "total": total,
    }


def is_page(data: JsonValue) -> bool:
    """Return whether `data` is a paging object."""
    return isinstance(data, dict) and isinstance(data.get("datas"), list)


def map_objects(data: JsonValue, change: Callable[[JsonObject], JsonObject]) -> JsonValue:
    """Apply `change` to every data object: the object itself, list items, a page's `datas`."""
    if isinstance(data, list):
        return [change(item) if isinstance(item, dict) else item for item in data]
    if isinstance(data, dict) and is_page(data):
        return {**data, "datas": map_objects(data["datas"], change)}
    if isinstance(data, dict):
        return change(data)
    return data


def numbers_as_text(obj: JsonObject) -> JsonObject:
    """Return `obj` with every number as its text (`12.5` -> `"12.5"`); booleans stay."""
    return {
        key: str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        for key, value in obj.items()
    }
