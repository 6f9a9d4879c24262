namespace MetricsPipeline.Ingest.LineProtocol;

/// <summary>Why a line-protocol line was rejected. Each value has a snake_case code (see <see cref="LineProtocolError.ReasonCode"/>).</summary>
public enum LineErrorReason
{
    /// <summary><c>missing_measurement</c>: the line starts with a comma, so the measurement name is empty.</summary>
    MissingMeasurement = 1,

    /// <summary><c>missing_fields</c>: the line ends before a field set (no space after measurement and tags, or nothing after it).</summary>
    MissingFields,

    /// <summary><c>missing_tag_key</c>: a tag has an empty key (<c>cpu,=a</c>, <c>cpu,,</c>).</summary>
    MissingTagKey,

    /// <summary><c>missing_tag_equals</c>: a tag key is not followed by <c>=</c> (<c>cpu,host v=1</c>).</summary>
    MissingTagEquals,

    /// <summary><c>missing_tag_value</c>: a tag has an empty value (<c>cpu,host= v=1</c>).</summary>
    MissingTagValue,

    /// <summary><c>unescaped_equals_in_tag_value</c>: a tag value holds an unescaped <c>=</c> (<c>cpu,a=b=c v=1</c>); InfluxDB rejects it too.</summary>
    UnescapedEqualsInTagValue,

    /// <summary><c>missing_field_key</c>: a field has an empty key (<c>cpu =1</c>, <c>cpu a=1,</c>).</summary>
    MissingFieldKey,

    /// <summary><c>missing_field_equals</c>: a field key is not followed by <c>=</c> (<c>cpu value</c>).</summary>
    MissingFieldEquals,

    /// <summary><c>missing_field_value</c>: a field has an empty value (<c>cpu a=</c>, <c>cpu a=,b=1</c>).</summary>
    MissingFieldValue,

    /// <summary><c>invalid_field_value</c>: a field value is not a number, boolean or quoted string (<c>a=abc</c>).</summary>
    InvalidFieldValue,

    /// <summary><c>invalid_float</c>: a value that starts like a number is not a valid float (<c>a=1.2.3</c>, <c>a=+1</c>).</summary>
    InvalidFloat,

    /// <summary><c>invalid_integer</c>: a value with the <c>i</c> suffix is not an optional minus sign and digits (<c>a=1.5i</c>).</summary>
    InvalidInteger,

    /// <summary><c>integer_out_of_range</c>: an <c>i</c> value does not fit a signed 64-bit integer.</summary>
    IntegerOutOfRange,

    /// <summary><c>invalid_unsigned</c>: a value with the <c>u</c> suffix is not digits (<c>a=1.5u</c>).</summary>
    InvalidUnsigned,

    /// <summary><c>negative_unsigned</c>: a value with the <c>u</c> suffix has a minus sign.</summary>
    NegativeUnsigned,

    /// <summary><c>unsigned_out_of_range</c>: a <c>u</c> value does not fit an unsigned 64-bit integer.</summary>
    UnsignedOutOfRange,

    /// <summary><c>invalid_boolean</c>: a value starting with t/T/f/F is not one of the accepted boolean spellings.</summary>
    InvalidBoolean,

    /// <summary><c>unterminated_string</c>: a string field value has no closing double quote.</summary>
    UnterminatedString,

    /// <summary><c>invalid_string_field</c>: something other than <c>,</c>, a space or the end of line follows a string's closing quote.</summary>
    InvalidStringField,

    /// <summary><c>non_finite_float</c>: a float is NaN or infinite and <see cref="LineProtocolLimits.RejectNonFinite"/> is set.</summary>
    NonFiniteFloat,

    /// <summary><c>invalid_timestamp</c>: the timestamp is not an optional minus sign followed by digits.</summary>
    InvalidTimestamp,

    /// <summary><c>timestamp_out_of_range</c>: the timestamp overflows 64-bit nanoseconds after precision conversion, or is outside the configured bounds.</summary>
    TimestampOutOfRange,

    /// <summary><c>duplicate_space</c>: two spaces where line protocol allows exactly one (between tag set, field set and timestamp).</summary>
    DuplicateSpace,

    /// <summary><c>trailing_garbage</c>: more data follows the timestamp.</summary>
    TrailingGarbage,

    /// <summary><c>line_too_long</c>: the line is longer than <see cref="LineProtocolLimits.MaxLineBytes"/>.</summary>
    LineTooLong,

    /// <summary><c>too_many_tags</c>: the line has more than <see cref="LineProtocolLimits.MaxTags"/> tags.</summary>
    TooManyTags,

    /// <summary><c>too_many_fields</c>: the line has more than <see cref="LineProtocolLimits.MaxFields"/> fields.</summary>
    TooManyFields,
}
