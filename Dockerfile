# send-mis production image: gunicorn serving Django, static files by whitenoise; the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_ENV=production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 sendmis
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .
# collectstatic needs settings but no real secrets or database.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only-0000 \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input -v 0
USER sendmis
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "send_mis.wsgi:application"]
