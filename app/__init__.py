"""augplay's front ends: the Gradio app (`app.ui`) and the command line (`app.cli`)."""
