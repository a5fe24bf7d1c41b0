# gitcode-mcp for teams: Streamable HTTP on port 8000, stateless, so any replica can answer any request.
# Callers send their own GitCode token (Authorization: Bearer or X-GitCode-Token); see README, "Deployment".
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 --user-group gitcode
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY gitcode_mcp ./gitcode_mcp
RUN pip install . && rm -rf /app/gitcode_mcp

USER gitcode
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["gitcode-mcp"]
CMD ["--transport", "streamable-http", "--host", "0.0.0.0", "--port", "8000", "--stateless"]
