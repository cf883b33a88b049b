"""How we reach people: templates, segments, the outbox and the sender. No Streamlit."""
