namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>The constant code and human explanation of each <see cref="LineErrorReason"/>.</summary>
internal static class LineErrorReasonText
{
    public static string Code(LineErrorReason reason) => reason switch
    {
        LineErrorReason.MissingMeasurement => "missing_measurement",
        LineErrorReason.MissingFields => "missing_fields",
        LineErrorReason.MissingTagKey => "missing_tag_key",
        LineErrorReason.MissingTagEquals => "missing_tag_equals",
        LineErrorReason.MissingTagValue => "missing_tag_value",
        LineErrorReason.UnescapedEqualsInTagValue => "unescaped_equals_in_tag_value",
        LineErrorReason.MissingFieldKey => "missing_field_key",
        LineErrorReason.MissingFieldEquals => "missing_field_equals",
        LineErrorReason.MissingFieldValue => "missing_field_value",
        LineErrorReason.InvalidFieldValue => "invalid_field_value",
        LineErrorReason.InvalidFloat => "invalid_float",
        LineErrorReason.InvalidInteger => "invalid_integer",
        LineErrorReason.IntegerOutOfRange => "integer_out_of_range",
        LineErrorReason.InvalidUnsigned => "invalid_unsigned",
        LineErrorReason.NegativeUnsigned => "negative_unsigned",
        LineErrorReason.UnsignedOutOfRange => "unsigned_out_of_range",
        LineErrorReason.InvalidBoolean => "invalid_boolean",
        LineErrorReason.UnterminatedString => "unterminated_string",
        LineErrorReason.InvalidStringField => "invalid_string_field",
        LineErrorReason.NonFiniteFloat => "non_finite_float",
        LineErrorReason.InvalidTimestamp => "invalid_timestamp",
        LineErrorReason.TimestampOutOfRange => "timestamp_out_of_range",
        LineErrorReason.DuplicateSpace => "duplicate_space",
        LineErrorReason.TrailingGarbage => "trailing_garbage",
        LineErrorReason.LineTooLong => "line_too_long",
        LineErrorReason.TooManyTags => "too_many_tags",
        LineErrorReason.TooManyFields => "too_many_fields",
        _ => "unknown",
    };

    public static string Explain(LineErrorReason reason, string? token) => reason switch
    {
        LineErrorReason.MissingMeasurement => "missing measurement name before the tag set",
        LineErrorReason.MissingFields => "missing field set (expected a space, then key=value fields)",
        LineErrorReason.MissingTagKey => "missing tag key (expected key=value after ',')",
        LineErrorReason.MissingTagEquals => $"tag '{token}' has no '=' (expected key=value)",
        LineErrorReason.MissingTagValue => $"tag '{token}' has an empty value",
        LineErrorReason.UnescapedEqualsInTagValue => $"the value of tag '{token}' contains an unescaped '=' (write it as \\=)",
        LineErrorReason.MissingFieldKey => "missing field key (expected key=value)",
        LineErrorReason.MissingFieldEquals => $"field '{token}' has no '=' (expected key=value)",
        LineErrorReason.MissingFieldValue => $"field '{token}' has an empty value",
        LineErrorReason.InvalidFieldValue => $"invalid field value '{token}' (expected a number, a boolean or a double-quoted string)",
        LineErrorReason.InvalidFloat => $"invalid float field value '{token}' (expected e.g. 1, -1.5, .5 or 2e-3)",
        LineErrorReason.InvalidInteger => $"invalid integer field value '{token}' (expected digits followed by 'i')",
        LineErrorReason.IntegerOutOfRange => $"integer field value '{token}' is out of the signed 64-bit range",
        LineErrorReason.InvalidUnsigned => $"invalid unsigned field value '{token}' (expected digits followed by 'u')",
        LineErrorReason.NegativeUnsigned => $"unsigned field value '{token}' is negative",
        LineErrorReason.UnsignedOutOfRange => $"unsigned field value '{token}' is out of the unsigned 64-bit range",
        LineErrorReason.InvalidBoolean => $"invalid boolean field value '{token}' (expected t, T, true, True, TRUE, f, F, false, False or FALSE)",
        LineErrorReason.UnterminatedString => $"string field value {token} has no closing double quote",
        LineErrorReason.InvalidStringField => $"unexpected '{token}' after the closing quote of a string field (expected ',', a space or the end of the line)",
        LineErrorReason.NonFiniteFloat => $"float field value '{token}' is NaN or infinite",
        LineErrorReason.InvalidTimestamp => $"invalid timestamp '{token}' (expected an optional '-' and digits)",
        LineErrorReason.TimestampOutOfRange => $"timestamp '{token}' is out of range",
        LineErrorReason.DuplicateSpace => "unexpected extra space (sections are separated by exactly one space)",
        LineErrorReason.TrailingGarbage => $"unexpected data '{token}' after the timestamp",
        LineErrorReason.LineTooLong => $"line is longer than the limit ({token} bytes)",
        LineErrorReason.TooManyTags => $"more tags than the limit ({token})",
        LineErrorReason.TooManyFields => $"more fields than the limit ({token})",
        _ => "unknown error",
    };
}
