"""Settings of the chatbot (environment variables prefixed ``CHATBOT_``).

The chatbot owns no data: it needs the MCP server it is a client of, auth (for the
short-lived customer tokens of SMS chats), the bounds of a message and of an SMS reply,
and — optionally — an OpenAI-compatible model endpoint (LLM mode; without one the
embedded intent parser answers).
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from mubayiro.common.settings import ServiceSettings, dev_url


class ChatbotSettings(ServiceSettings):
    """Configuration of the chatbot."""

    model_config = SettingsConfigDict(env_prefix="CHATBOT_", env_file=".env", extra="ignore")

    service_name: str = "chatbot"

    #: The MCP endpoint the chatbot calls tools on.
    mcp_url: str = Field(default_factory=lambda: f"{dev_url('mcp')}/mcp")
    #: Longest message accepted (longer: 422).
    max_message_chars: int = Field(default=500, ge=1, le=4000)
    #: Service clients that may hand the chatbot an SMS chat (``/internal/chat/sms``):
    #: the caller vouches for the sender's phone, so only the SMS channel may.
    sms_clients: list[str] = Field(default_factory=lambda: ["notifications"])
    #: Target length of an SMS reply (one GSM-7 SMS).
    sms_reply_chars: int = Field(default=160, ge=70, le=1530)
    #: Seconds to wait for the MCP server on one call.
    mcp_timeout_seconds: float = Field(default=10.0, gt=0)

    #: LLM mode: an OpenAI-compatible base URL (e.g. ``http://127.0.0.1:11434/v1`` for
    #: Ollama) and a model name. Both unset: the embedded parser answers.
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(default=20.0, gt=0)
    #: Tool-call rounds one message may take in LLM mode before falling back.
    llm_max_rounds: int = Field(default=4, ge=1, le=10)

    @property
    def llm_enabled(self) -> bool:
        """True when both the LLM endpoint and the model are set."""
        return bool(self.llm_base_url and self.llm_model)
