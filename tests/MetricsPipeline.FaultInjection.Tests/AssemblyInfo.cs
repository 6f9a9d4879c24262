using Xunit;

// Every scenario runs a broker, a fleet and one or more analytics processes; on two shared cores they would only
// slow each other into timeouts, so the scenarios run one after another.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
