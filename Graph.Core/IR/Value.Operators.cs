using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>Arithmetic operators with NumPy broadcasting; a <see cref="double"/> operand takes the value's dtype.</summary>
public sealed partial class Value
{
    /// <summary>Elementwise sum.</summary>
    public static Value operator +(Value a, Value b) => Binary(Operations.Add.Instance, a, b);

    /// <summary>Elementwise sum with a scalar.</summary>
    public static Value operator +(Value a, double b) => a + a.ScalarLike(b);

    /// <summary>Elementwise sum with a scalar.</summary>
    public static Value operator +(double a, Value b) => b.ScalarLike(a) + b;

    /// <summary>Elementwise difference.</summary>
    public static Value operator -(Value a, Value b) => Binary(Sub.Instance, a, b);

    /// <summary>Elementwise difference with a scalar.</summary>
    public static Value operator -(Value a, double b) => a - a.ScalarLike(b);

    /// <summary>Elementwise difference with a scalar.</summary>
    public static Value operator -(double a, Value b) => b.ScalarLike(a) - b;

    /// <summary>Elementwise product.</summary>
    public static Value operator *(Value a, Value b) => Binary(Mul.Instance, a, b);

    /// <summary>Elementwise product with a scalar.</summary>
    public static Value operator *(Value a, double b) => a * a.ScalarLike(b);

    /// <summary>Elementwise product with a scalar.</summary>
    public static Value operator *(double a, Value b) => b.ScalarLike(a) * b;

    /// <summary>Elementwise quotient.</summary>
    public static Value operator /(Value a, Value b) => Binary(Div.Instance, a, b);

    /// <summary>Elementwise quotient by a scalar.</summary>
    public static Value operator /(Value a, double b) => a / a.ScalarLike(b);

    /// <summary>Elementwise quotient of a scalar.</summary>
    public static Value operator /(double a, Value b) => b.ScalarLike(a) / b;

    /// <summary>Elementwise negation.</summary>
    public static Value operator -(Value a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Builder.Apply(Operations.Neg.Instance, OpAttributes.Empty, a);
    }

    private static Value Binary(OpDef op, Value a, Value b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Builder.Apply(op, OpAttributes.Empty, a, b);
    }

    /// <summary>A scalar constant of this value's dtype, so that <c>x * 2</c> stays in x's dtype, as in PyTorch.</summary>
    private Value ScalarLike(double scalar)
    {
        if (DType == DType.Int64 && scalar != Math.Floor(scalar))
        {
            throw new GraphBuildException($"'{Name}' is int64 and {scalar} is not a whole number; cast '{Name}' with .Cast(DType.Float32) first.");
        }

        if (DType == DType.Bool)
        {
            throw new GraphBuildException($"'{Name}' is bool; arithmetic needs a number. Cast it with .Cast(DType.Float32) first.");
        }

        return Builder.Constant(Tensor.Scalar(scalar, DType));
    }
}
