"""Fine-tuning: teach the model something with a few examples (LoRA adapters trained on
this computer), and the variant it makes."""
