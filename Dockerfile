# The main job in a container: the Zhangye sample week solved, published and served on :8000.
# docker build -t police-roster . && docker run -p 8000:8000 police-roster
# The same image runs `roster serve` and `roster worker` in production: docs/deploy/compose.yaml.
FROM python:3.11-slim
WORKDIR /srv/roster
COPY pyproject.toml README.md ./
COPY solver ./solver
COPY app ./app
COPY data ./data
RUN pip install --no-cache-dir .
ENV ROSTER_DATABASE_URL=sqlite:////srv/roster/var/roster.sqlite3
EXPOSE 8000
CMD ["roster", "demo", "--host", "0.0.0.0", "--port", "8000"]
