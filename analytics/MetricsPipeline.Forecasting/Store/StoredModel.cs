namespace MetricsPipeline.Forecasting.Store;

/// <summary>A checkpoint read from the model store with its metadata.</summary>
/// <param name="Metadata">Scores and provenance.</param>
/// <param name="Model">The restored forecaster.</param>
public sealed record StoredModel(ModelMetadata Metadata, SsaForecaster Model);
