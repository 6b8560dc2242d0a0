"""Attribution: why the model predicts its next token (leave-one-out)."""
