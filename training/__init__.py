"""Training tools of the generic body classifiers: data labelling, boosting, fold models."""
