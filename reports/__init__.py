"""What the data says: frames in, frames and figures out. Pure: no I/O, no Streamlit."""
