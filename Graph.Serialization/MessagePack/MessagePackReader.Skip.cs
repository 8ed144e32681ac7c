namespace Graph.Serialization.MessagePack;

public ref partial struct MessagePackReader
{
    /// <summary>
    /// Skips one complete value of any family, arrays and maps with everything inside them included.
    /// </summary>
    /// <remarks>
    /// Skip checks structure only (type bytes, lengths, counts and nesting), not the UTF-8 inside strings.
    /// It runs in a loop, not by recursion, so hostile input cannot exhaust the stack; nesting deeper than
    /// <see cref="MaxDepth"/> is rejected all the same, since no valid file needs it.
    /// </remarks>
    /// <exception cref="GraphFormatException">The value is malformed, cut short, or nested more than <see cref="MaxDepth"/> deep.</exception>
    public void Skip()
    {
        // pending[d] counts the values still to skip inside the container open at depth d; depth 0 is the value itself.
        Span<int> pending = stackalloc int[MaxDepth + 1];
        pending[0] = 1;
        int depth = 0;
        int position = _position;
        while (true)
        {
            while (pending[depth] == 0)
            {
                if (depth == 0)
                {
                    _position = position;
                    return;
                }

                depth--;
            }

            pending[depth]--;
            MessagePackType type = TypeAt(position, "a value");
            int headerLength = FrameAt(position, out int payloadLength, out int elementCount);
            if (type is MessagePackType.Array or MessagePackType.Map)
            {
                if (depth == MaxDepth)
                {
                    throw new GraphFormatException(AbsoluteAt(position), $"arrays and maps are nested more than {MaxDepth} deep");
                }

                if (elementCount > 0)
                {
                    depth++;
                    pending[depth] = elementCount;
                }
            }

            position += headerLength + payloadLength;
        }
    }
}
