"""The assessment engine (pure, Polars): schools × requirements → results. No Django."""
