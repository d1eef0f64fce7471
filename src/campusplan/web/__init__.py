"""The web shell: server-rendered pages (htmx, ECharts, Pico CSS) over the pure packages."""
