using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Tests.Features.Events;

/// <summary>How a long search text is handed to the trigram index: as consecutive pieces, each a literal phrase.</summary>
public sealed class EventSearchPiecesTests
{
    [Theory]
    [InlineData("7f3a9c2e-41b0-4d8e-9a6f-0c5b2e7d1a94", "\"7f3a9c\" AND \"2e-41b\" AND \"0-4d8e\" AND \"-9a6f-\" AND \"0c5b2e\" AND \"7d1a94\"")]
    [InlineData("abcdefghijkl", "\"abcdef\" AND \"ghijkl\"")]
    // A last piece of one or two characters has no trigram: it joins the piece before.
    [InlineData("abcdefghijklm", "\"abcdef\" AND \"ghijklm\"")]
    [InlineData("abcdefghijklmn", "\"abcdef\" AND \"ghijklmn\"")]
    [InlineData("abcdefghijklmno", "\"abcdef\" AND \"ghijkl\" AND \"mno\"")]
    // Quotes are doubled inside each phrase; FTS5 operators inside it are text.
    [InlineData("say \"hi\" OR NEAR(x", "\"say \"\"h\" AND \"i\"\" OR \" AND \"NEAR(x\"")]
    public void FtsPieces_LongText_ConsecutivePiecesAsLiteralPhrases(string text, string expected) =>
        Assert.Equal(expected, EventSearchSql.FtsPieces(text));

    [Theory]
    [InlineData("7f3a9c2e-41b0-4d8e-9a6f-0c5b2e7d1a94", true)]
    [InlineData("abcdefghijkl", true)]
    [InlineData("abcdefghijk", false)]
    [InlineData("proxy in Zürich refused", false)]
    public void SearchedInPieces_LongAsciiTextOnly(string text, bool expected) =>
        Assert.Equal(expected, EventSearchSql.SearchedInPieces(text));
}
