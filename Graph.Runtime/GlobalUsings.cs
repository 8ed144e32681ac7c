// System.Numerics.Tensors also defines a Tensor type; in this project Tensor always means Graph's.
global using Tensor = Graph.Core.Tensor;
